-- A tenant's permission catalogue: once it has entries, agents and humans may hold only permissions
-- it knows (exact entries, or wildcards that cover at least one entry).
create table permission_entry (
    tenant_id    text        not null references tenant (id),
    permission   text        not null,
    description  text,
    created_at   timestamptz not null,
    primary key (tenant_id, permission)
);
