-- Signing keys, as Keycloak models them: status and priority; the private part sealed with AES-GCM.
create table signing_key (
    kid          text primary key,
    alg          text        not null,
    status       text        not null check (status in ('ACTIVE', 'PASSIVE', 'DISABLED')),
    priority     integer     not null,
    public_jwk   text        not null,
    private_key  bytea       not null,
    created_at   timestamptz not null
);

-- Projection of agents, fed by mandate.identity (each event carries the agent's snapshot and version).
create table agent_projection (
    agent_id     text primary key,
    tenant_id    text        not null,
    status       text        not null,
    permissions  text[]      not null,
    tier         text        not null,
    trust_level  smallint    not null,
    version      bigint      not null,
    updated_at   timestamptz not null default now()
);

-- Projection of credential verifiers, fed by the internal compacted topic mandate.identity.credentials.
create table credential_projection (
    key_id        text primary key,
    credential_id text        not null unique,
    agent_id      text        not null,
    tenant_id     text        not null,
    verifier      text        not null,
    status        text        not null,
    updated_at    timestamptz not null default now()
);
