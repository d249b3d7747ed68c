create table webhook_endpoint (
    id           text primary key,
    tenant_id    text        not null,
    url          text        not null,
    events       text[]      not null,
    description  text,
    secret       bytea       not null,  -- AES-GCM sealed, context = endpoint id
    active       boolean     not null,
    created_at   timestamptz not null
);
create index webhook_endpoint_tenant on webhook_endpoint (tenant_id) where active;

-- Durable delivery queue: one message per (endpoint, event).
create table webhook_message (
    id               text primary key,
    endpoint_id      text        not null references webhook_endpoint (id),
    event_id         text        not null,
    event_type       text        not null,
    payload          text        not null,
    status           text        not null check (status in ('pending', 'delivered', 'failed')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null,
    created_at       timestamptz not null,
    unique (endpoint_id, event_id)
);
create index webhook_message_due on webhook_message (next_attempt_at) where status = 'pending';

create table webhook_attempt (
    id             bigserial primary key,
    message_id     text        not null references webhook_message (id),
    attempted_at   timestamptz not null,
    response_code  integer,
    duration_ms    integer     not null,
    error          text
);
create index webhook_attempt_message on webhook_attempt (message_id, id);
