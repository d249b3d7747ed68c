-- Opaque refresh tokens, stored as SHA-256 of the token only. Every use rotates: the used row becomes
-- 'rotated' and a new row joins the same family; presenting a rotated token revokes the whole family.
create table refresh_token (
    token_hash         text primary key,
    family_id          text        not null,
    agent_id           text        not null,
    tenant_id          text        not null,
    -- the credential that authenticated the family's first grant; revoking it ends the family
    credential_id      text        not null,
    scopes             text[]      not null,
    audience           text[]      not null,
    -- RFC 9449: a family started with a DPoP proof stays bound to that key
    dpop_jkt           text,
    -- the access token issued with this refresh token (revoked too when the family is)
    access_jti         text        not null,
    access_expires_at  timestamptz not null,
    status             text        not null check (status in ('active', 'rotated', 'revoked')),
    created_at         timestamptz not null default now(),
    expires_at         timestamptz not null
);
create index refresh_token_family on refresh_token (family_id);
create index refresh_token_agent on refresh_token (agent_id) where status = 'active';

-- One-time identifiers seen recently: client assertion jtis (RFC 7523) and DPoP proof jtis (RFC 9449).
-- A row can go once expires_at passed: the assertion or proof would be refused as too old anyway.
create table used_jti (
    kind        text        not null,
    jti         text        not null,
    expires_at  timestamptz not null,
    primary key (kind, jti)
);
create index used_jti_expiry on used_jti (expires_at);
create index revoked_token_expiry on revoked_token (expires_at);

-- POST /v1/auth/revoke-tokens: an agent's access tokens issued up to this instant are no longer active.
create table agent_token_cutoff (
    agent_id       text primary key,
    tenant_id      text        not null,
    issued_before  timestamptz not null
);
