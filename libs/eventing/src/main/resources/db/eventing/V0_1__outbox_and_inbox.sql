-- Shared by every service (libs/eventing). Version 0.1 so it runs before the service's own V1.

-- Transactional outbox: written in the business transaction, relayed to Kafka in id order.
create table outbox_event (
    id         bigserial primary key,
    topic      text        not null,
    event_key  text        not null,
    event_id   text        not null,
    payload    text        not null,
    created_at timestamptz not null default now()
);

-- Idempotent consumer: one row per (consumer, event id), written with the event's effect.
create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
