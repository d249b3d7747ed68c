-- Every public event, once (primary key = CloudEvents id). Append-only: the service has no UPDATE path.
create table audit_event (
    seq          bigserial primary key,
    id           text        not null unique,
    tenant_id    text,
    type         text        not null,
    source       text        not null,
    subject      text,
    agent_id     text,
    actor_type   text,
    actor_id     text,
    time         timestamptz not null,
    recorded_at  timestamptz not null default now(),
    event        jsonb       not null
);
create index audit_event_agent on audit_event (agent_id, seq);
create index audit_event_type on audit_event (type, seq);
