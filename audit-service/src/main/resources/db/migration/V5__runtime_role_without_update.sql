-- Flyway migrates as the database owner; the service runs as ${runtime_user}, which may read, append
-- and purge audit rows but has no UPDATE on them: an edited row can only come from outside the service.
do $$
begin
    if not exists (select from pg_roles where rolname = '${runtime_user}') then
        execute format('create role %I login password %L', '${runtime_user}', '${runtime_password}');
    end if;
end
$$;
grant usage on schema public to "${runtime_user}";
grant select, insert, update, delete on all tables in schema public to "${runtime_user}";
grant usage, select, update on all sequences in schema public to "${runtime_user}";
-- Tables later migrations create (the libraries' too) get the same, as the owner creates them.
alter default privileges in schema public grant select, insert, update, delete on tables to "${runtime_user}";
alter default privileges in schema public grant usage, select, update on sequences to "${runtime_user}";
-- Audit rows are appended and, by the retention purge only, deleted; never changed.
revoke update, truncate on audit_event from "${runtime_user}";
