-- The permission catalogue projection now also says what each entry implies (files:write implies
-- files:read): token requests are checked with it, so every replica keeps it in memory and drops a
-- tenant's copy when PostgreSQL announces a change to its rows (as V10 does for agents).
alter table permission_description rename to scope_catalogue;
alter table scope_catalogue rename column permission to scope;
alter table scope_catalogue add column implies text[] not null default '{}';

create function announce_scope_catalogue_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('mandate_projection', 'scopes:' || case when tg_op = 'DELETE' then old.tenant_id else new.tenant_id end);
    return null;
end $$;

create trigger scope_catalogue_changed after insert or update or delete on scope_catalogue
    for each row execute function announce_scope_catalogue_change();
create trigger scope_catalogue_truncated after truncate on scope_catalogue
    for each statement execute function announce_projection_truncate();
