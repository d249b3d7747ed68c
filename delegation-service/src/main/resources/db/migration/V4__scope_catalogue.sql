-- The tenants' permission catalogues as identity-service announces them (permission.added, .updated,
-- .removed): which scopes exist and what each implies, for every subset check on grants.
create table scope_catalogue (
    tenant_id text   not null,
    scope     text   not null,
    implies   text[] not null default '{}',
    primary key (tenant_id, scope)
);
