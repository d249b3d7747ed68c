-- What ends a token at this service before its exp: kept from mandate.identity and mandate.token
-- by libs/auth (TokenRevocations), read on every authenticated request.

-- An agent or human whose tokens issued before issued_before are void; blocked voids all of them
-- (agent suspended or revoked, human disabled).
create table revoked_subject (
    subject       text primary key,
    tenant_id     text not null,
    issued_before timestamptz,
    blocked       boolean not null default false
);

-- Access tokens revoked one by one (RFC 7009, a refresh family ended), until they expire anyway.
create table revoked_access_token (
    jti        text primary key,
    expires_at timestamptz not null
);
create index revoked_access_token_expiry on revoked_access_token (expires_at);

-- DPoP proofs seen with an access token (RFC 9449 §11.1): each jti once per key.
create table used_dpop_proof (
    id         text primary key,
    expires_at timestamptz not null
);
create index used_dpop_proof_expiry on used_dpop_proof (expires_at);
