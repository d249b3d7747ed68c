-- Retention (issue #6): how long each tenant keeps its records, and what each purge removed.
create table audit_retention (
    tenant_id   text primary key,
    days        integer     not null check (days between 1 and 36500),
    updated_at  timestamptz not null
);

-- A purge deletes a prefix of a chain (seq 1..up_to_seq). Its row keeps the hash of the last record
-- removed, so verification of what remains starts from a known link; the checkpoint signed just
-- before the purge vouches for that hash.
create table audit_purge (
    id             bigserial primary key,
    chain          text        not null,
    up_to_seq      bigint      not null,
    hash_at_seq    bytea       not null,
    checkpoint_id  bigint      not null references audit_checkpoint (id),
    purged         bigint      not null,
    purged_at      timestamptz not null
);
create index audit_purge_chain on audit_purge (chain, up_to_seq desc);
