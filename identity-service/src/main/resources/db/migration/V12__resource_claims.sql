-- The claims a resource's tokens carry beyond RFC 9068's (agent_id, scopes as an array, fingerprint,
-- metadata.<key>), for backends written against the systems Mandate replaces; null: the tenant's.
alter table protected_resource add column claims text[];
