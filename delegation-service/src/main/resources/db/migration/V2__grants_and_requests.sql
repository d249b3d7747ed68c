-- The agent's permissions bound what it may be granted (scopes ⊆ agent permissions ∩ the human's).
alter table agent_status add column permissions text[] not null default '{}';

-- A grant: a human lends an agent part of its authority (parent_id null), or an agent holding a grant
-- lends part of it to another agent (parent_id set). chain_ids / chain_agents run from the root grant
-- to this one, so a token's nested `act` is read from one row.
create table delegation_grant (
    id              text primary key,
    tenant_id       text        not null,
    user_id         text        not null,
    delegator_type  text        not null check (delegator_type in ('human', 'agent')),
    delegator_id    text        not null,
    agent_id        text        not null,
    parent_id       text references delegation_grant (id),
    depth           int         not null check (depth >= 1),
    max_depth       int         not null check (max_depth >= depth),
    chain_ids       text[]      not null,
    chain_agents    text[]      not null,
    scopes          text[]      not null,
    purpose         text,
    status          text        not null check (status in ('active', 'revoked', 'expired')),
    created_at      timestamptz not null default now(),
    expires_at      timestamptz not null,
    revoked_at      timestamptz,
    revoked_by      text,
    revoked_reason  text
);
create index delegation_grant_user on delegation_grant (tenant_id, user_id, created_at desc, id desc);
create index delegation_grant_agent on delegation_grant (tenant_id, agent_id, created_at desc, id desc);
create index delegation_grant_delegator on delegation_grant (delegator_id) where status = 'active';
create index delegation_grant_parent on delegation_grant (parent_id) where status = 'active';
create index delegation_grant_due on delegation_grant (expires_at) where status = 'active';

-- An agent's request for authority, decided by the human it names.
create table delegation_request (
    id              text primary key,
    tenant_id       text        not null,
    agent_id        text        not null,
    user_id         text        not null,
    scopes          text[]      not null,
    purpose         text        not null,
    grant_seconds   bigint      not null,
    status          text        not null check (status in ('pending', 'approved', 'denied', 'expired')),
    created_at      timestamptz not null default now(),
    expires_at      timestamptz not null,
    decided_at      timestamptz,
    decided_by      text,
    delegation_id   text references delegation_grant (id)
);
create index delegation_request_user on delegation_request (tenant_id, user_id, status, created_at desc);
create index delegation_request_agent on delegation_request (tenant_id, agent_id, created_at desc);
create index delegation_request_due on delegation_request (expires_at) where status = 'pending';

-- Ed25519 keys that sign delegation tokens; the private half sealed (AES-GCM) under the key-encryption key.
create table delegation_signing_key (
    id                  text primary key,
    public_key          bytea       not null,
    private_key_sealed  bytea       not null,
    created_at          timestamptz not null default now()
);
