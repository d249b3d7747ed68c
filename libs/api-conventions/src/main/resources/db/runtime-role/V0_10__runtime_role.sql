-- Flyway migrates as the database's owner role; the service runs as ${runtime_user}, which may read
-- and write rows but not create, alter or drop anything. The platform creates both roles (the local
-- stack's deploy/local/mandate, or the Helm chart); this grants the runtime role its rows.
grant usage on schema public to "${runtime_user}";
grant select, insert, update, delete on all tables in schema public to "${runtime_user}";
grant usage, select, update on all sequences in schema public to "${runtime_user}";
-- Tables and sequences later migrations create (the libraries' too) get the same, as the owner creates them.
alter default privileges in schema public grant select, insert, update, delete on tables to "${runtime_user}";
alter default privileges in schema public grant usage, select, update on sequences to "${runtime_user}";
