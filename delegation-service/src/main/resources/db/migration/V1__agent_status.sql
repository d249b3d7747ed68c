-- What delegation-service knows of agents (from mandate.identity): grants of a revoked agent are
-- revoked with it (issue #5 builds the grants themselves).
create table agent_status (
    agent_id    text primary key,
    tenant_id   text        not null,
    status      text        not null,
    version     bigint      not null,
    updated_at  timestamptz not null default now()
);
