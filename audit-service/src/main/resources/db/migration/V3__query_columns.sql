-- Query filters (issue #6): each record's outcome and delegation, and indexes that keep every
-- tenant-scoped filter on an index (results are ordered by seq).
alter table audit_event
    add column outcome       text,
    add column delegation_id text;
update audit_event set
    outcome = case when type like '%\_failed' or type in ('refresh_token.reuse_detected', 'webhook.delivery_exhausted')
                   then 'failure' else 'success' end,
    delegation_id = event -> 'data' ->> 'delegation_id';
alter table audit_event alter column outcome set not null;

drop index audit_event_agent;
drop index audit_event_type;
create index audit_event_tenant_seq on audit_event (tenant_id, seq);
create index audit_event_tenant_agent_seq on audit_event (tenant_id, agent_id, seq);
create index audit_event_tenant_actor_seq on audit_event (tenant_id, actor_id, seq);
create index audit_event_tenant_type_seq on audit_event (tenant_id, type, seq);
create index audit_event_tenant_delegation_seq on audit_event (tenant_id, delegation_id, seq) where delegation_id is not null;
