-- Credentials beside API keys: public keys for private_key_jwt (JWK) and the SWARM flow (PGP).
-- key_id is the RFC 7638 thumbprint (jwk) or the OpenPGP fingerprint (pgp); verifier is the public key.
alter table credential drop constraint credential_kind_check;
alter table credential add constraint credential_kind_check check (kind in ('api_key', 'jwk', 'pgp'));
alter table credential add column algorithm text;

-- One-time challenges an agent signs with a registered private key to reach trust level 3.
create table key_challenge (
    id          text primary key,
    agent_id    text        not null references agent (id),
    nonce       text        not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index key_challenge_agent on key_challenge (agent_id);
