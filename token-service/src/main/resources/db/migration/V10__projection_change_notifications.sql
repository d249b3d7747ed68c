-- Every replica keeps the agent and credential projections in memory (ProjectionCache) and drops an
-- entry when PostgreSQL announces, at commit, that its row changed: whoever wrote it (the listeners
-- of any replica, an operator by hand).
create function announce_agent_projection_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('mandate_projection', 'agent:' || case when tg_op = 'DELETE' then old.agent_id else new.agent_id end);
    return null;
end $$;

create function announce_credential_projection_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('mandate_projection', 'credential:' || case when tg_op = 'DELETE' then old.key_id else new.key_id end);
    return null;
end $$;

create function announce_projection_truncate() returns trigger language plpgsql as $$
begin
    perform pg_notify('mandate_projection', 'all');
    return null;
end $$;

create trigger agent_projection_changed after insert or update or delete on agent_projection
    for each row execute function announce_agent_projection_change();
create trigger credential_projection_changed after insert or update or delete on credential_projection
    for each row execute function announce_credential_projection_change();
create trigger agent_projection_truncated after truncate on agent_projection
    for each statement execute function announce_projection_truncate();
create trigger credential_projection_truncated after truncate on credential_projection
    for each statement execute function announce_projection_truncate();
