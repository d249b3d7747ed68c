-- Human accounts as identity-service's human.* events describe them: who a token from the enterprise
-- IdP stands for (by linked subject, else by email), and whether an account was disabled.
create table known_human (
    user_id           text primary key,
    tenant_id         text        not null,
    email             text        not null,
    roles             text        not null,
    status            text        not null,
    external_subject  text,
    version           bigint      not null
);
create index known_human_email on known_human (tenant_id, lower(email));
create index known_human_subject on known_human (tenant_id, external_subject);
drop table disabled_human;
