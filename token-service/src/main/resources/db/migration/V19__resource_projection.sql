-- The resources tenants protect (resource.registered/.updated/.removed): tokens for one carry aud = its
-- URI, only its scopes, its lifetime and binding. Kept in memory like agents (V10), by URI.
create table resource_projection (
    resource_id           text primary key,
    tenant_id             text    not null,
    uri                   text    not null,
    name                  text,
    scopes                text[]  not null,
    access_token_lifetime integer,
    dpop_required         boolean not null,
    metadata_hosted       boolean not null,
    metadata              text,
    version               bigint  not null
);
-- Not unique: identity-service keeps URIs unique, but one resource's removal and another's registration
-- with the same URI may arrive in either order (they travel on different partitions).
create index resource_projection_uri on resource_projection (uri);

create function announce_resource_projection_change() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform pg_notify('mandate_projection', 'resource:' || old.uri);
    end if;
    if tg_op <> 'DELETE' then
        perform pg_notify('mandate_projection', 'resource:' || new.uri);
    end if;
    return null;
end $$;

create trigger resource_projection_changed after insert or update or delete on resource_projection
    for each row execute function announce_resource_projection_change();
create trigger resource_projection_truncated after truncate on resource_projection
    for each statement execute function announce_projection_truncate();

-- A resource's scopes join its tenant's catalogue (source = the resource's id) with what they imply.
alter table scope_catalogue add column source text not null default '';
alter table scope_catalogue drop constraint permission_description_pkey;
alter table scope_catalogue add primary key (tenant_id, scope, source);
