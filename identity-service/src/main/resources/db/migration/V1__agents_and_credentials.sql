create table agent (
    id           text primary key,
    tenant_id    text        not null,
    name         text        not null,
    owner_email  text        not null,
    description  text,
    permissions  text[]      not null,
    metadata     jsonb       not null default '{}'::jsonb,
    tier         text        not null check (tier in ('free', 'pro', 'enterprise')),
    status       text        not null check (status in ('active', 'suspended', 'revoked')),
    trust_level  smallint    not null check (trust_level between 1 and 3),
    version      bigint      not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    revoked_at   timestamptz
);
create index agent_tenant_status on agent (tenant_id, status, id);

create table credential (
    id          text primary key,
    agent_id    text        not null references agent (id),
    tenant_id   text        not null,
    kind        text        not null check (kind in ('api_key')),
    key_id      text        not null unique,
    verifier    text        not null,
    status      text        not null check (status in ('active', 'revoked')),
    created_at  timestamptz not null,
    revoked_at  timestamptz
);
create index credential_agent on credential (agent_id);
