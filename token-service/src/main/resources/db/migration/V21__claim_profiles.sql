-- Claim profiles: an agent's metadata (some keys of it may become claims) and a resource's own profile
-- (null: the tenant's).
alter table agent_projection add column metadata text not null default '{}';
alter table resource_projection add column claims text[];
