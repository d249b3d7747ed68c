-- Purge markers are signed from now on, like checkpoints (key_id, Ed25519 signature over their
-- canonical JSON): a row the service's own database role adds cannot vouch for a removed prefix.
-- Markers made before this migration carry no signature; they stay accepted, and only they: the
-- bound below is written here, by the owner, and the runtime role may only read it.
alter table audit_purge
    add column key_id    text references audit_signing_key (id),
    add column signature bytea;
create table audit_purge_unsigned_bound (max_id bigint not null);
insert into audit_purge_unsigned_bound select coalesce(max(id), 0) from audit_purge;
revoke insert, update, delete, truncate on audit_purge_unsigned_bound from "${runtime_user}";
