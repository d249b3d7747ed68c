-- Idempotency-Key on POST /v1/agents: the same key returns the same agent, never a second one.
create table idempotency_key (
    tenant_id     text        not null,
    key           text        not null,
    request_hash  text        not null,
    agent_id      text        not null,
    created_at    timestamptz not null default now(),
    primary key (tenant_id, key)
);
