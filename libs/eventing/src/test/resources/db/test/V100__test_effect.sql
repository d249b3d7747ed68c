create table test_effect (
    id        bigserial primary key,
    event_id  text not null,
    note      text not null
);
