-- Access tokens revoked before their expiry (RFC 7009), by jti; a row can go once the token expired.
create table revoked_token (
    jti         text primary key,
    agent_id    text        not null,
    tenant_id   text        not null,
    expires_at  timestamptz not null,
    revoked_at  timestamptz not null default now()
);
