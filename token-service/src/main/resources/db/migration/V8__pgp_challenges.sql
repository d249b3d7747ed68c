-- The SWARM PGP flow: a one-time secret encrypted to the agent's PGP key; only its SHA-256 is kept.
create table pgp_challenge (
    id             text primary key,
    agent_id       text        not null,
    tenant_id      text        not null,
    credential_id  text        not null,
    secret_hash    bytea       not null,
    expires_at     timestamptz not null,
    used_at        timestamptz,
    created_at     timestamptz not null default now()
);
create index pgp_challenge_expiry on pgp_challenge (expires_at);
