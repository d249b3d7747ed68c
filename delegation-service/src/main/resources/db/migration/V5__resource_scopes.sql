-- A protected resource's scopes join its tenant's catalogue (source = the resource's id): what they
-- imply counts for grants too. '' is the tenant's own catalogue.
alter table scope_catalogue add column source text not null default '';
alter table scope_catalogue drop constraint scope_catalogue_pkey;
alter table scope_catalogue add primary key (tenant_id, scope, source);
