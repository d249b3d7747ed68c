-- The APIs and MCP servers a tenant protects with Mandate's tokens (RFC 8707 resources, RFC 9728
-- metadata): their canonical URI, the scopes they understand and what a token for them must be.
create table protected_resource (
    id                    text primary key,
    tenant_id             text        not null references tenant (id),
    uri                   text        not null,
    name                  text,
    scopes                jsonb       not null default '[]'::jsonb,
    access_token_lifetime integer,
    dpop_required         boolean     not null default false,
    metadata_hosted       boolean     not null default false,
    version               bigint      not null,
    created_at            timestamptz not null,
    updated_at            timestamptz not null
);
-- One URI names one resource on the whole platform: a token's aud must not be claimable by two tenants.
create unique index protected_resource_uri on protected_resource (uri);
create index protected_resource_tenant on protected_resource (tenant_id, id);
