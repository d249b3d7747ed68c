-- Grants delegation-service revoked (delegation.revoked lists every id of a cascade): token exchange
-- refuses them and tokens carrying their delegation_id introspect inactive.
create table revoked_delegation (
    delegation_id  text primary key,
    tenant_id      text        not null,
    revoked_at     timestamptz not null default now()
);
