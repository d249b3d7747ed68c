-- The tenants' permission catalogues as identity-service announces them: what each permission is called in
-- words, for the consent page and the approvals inbox.
create table permission_description (
    tenant_id   text not null,
    permission  text not null,
    description text,
    primary key (tenant_id, permission)
);
