-- Agents onboarding themselves with an OpenPGP key (SWARM): the key and a one-time secret encrypted to
-- it (only its SHA-256 kept); the agent exists once the secret comes back.
create table pgp_registration (
    id          text primary key,
    tenant_id   text        not null,
    name        text,
    public_key  text        not null,
    fingerprint text        not null,
    secret_hash bytea       not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
