-- Invitations to sign up: a one-time link a tenant admin sends; only the secret's SHA-256 is kept.
create table invitation (
    id               text primary key,
    tenant_id        text        not null references tenant (id),
    token_hash       text        not null unique,
    email            text,
    roles            text[]      not null,
    permissions      text[]      not null,
    created_by       text        not null,
    created_at       timestamptz not null,
    expires_at       timestamptz not null,
    accepted_at      timestamptz,
    accepted_user_id text,
    revoked_at       timestamptz
);
create index invitation_tenant on invitation (tenant_id, created_at desc);
