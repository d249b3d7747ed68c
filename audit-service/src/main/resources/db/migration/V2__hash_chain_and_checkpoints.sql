-- Tamper evidence (SPEC §4 audit-service). Each tenant's records form a hash chain:
-- hash = SHA-256(prev_hash || canonical JSON of the event), seq 1, 2, 3, ... per chain, the first
-- prev_hash 32 zero bytes. Events without a tenant go to the chain named '_platform'.
-- Rows recorded before this migration have no chain position and are not verified.
alter table audit_event
    add column chain     text,
    add column chain_seq bigint,
    add column prev_hash bytea,
    add column hash      bytea;
create unique index audit_event_chain_seq on audit_event (chain, chain_seq);

-- The newest record of each chain: locked while a record is appended, so chains never fork.
create table audit_chain_head (
    chain  text primary key,
    seq    bigint not null,
    hash   bytea  not null
);

-- Ed25519 keys that sign checkpoints; the private part AES-GCM sealed under the configured key.
create table audit_signing_key (
    id                  text primary key,
    public_key          bytea       not null,  -- raw 32 bytes
    private_key_sealed  bytea       not null,  -- PKCS#8, sealed, context = key id
    created_at          timestamptz not null
);

-- Signed statements "chain C had hash H at seq N", made every few minutes and on demand.
create table audit_checkpoint (
    id          bigserial primary key,
    chain       text        not null,
    seq         bigint      not null,
    hash        bytea       not null,
    created_at  timestamptz not null,
    key_id      text        not null references audit_signing_key (id),
    signature   bytea       not null
);
create index audit_checkpoint_chain on audit_checkpoint (chain, seq desc);
