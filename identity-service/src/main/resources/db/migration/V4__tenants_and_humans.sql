create table tenant (
    id          text primary key,
    name        text        not null,
    created_at  timestamptz not null
);
create unique index tenant_name_key on tenant (lower(name));
-- The tenant the bootstrap admin works in when a request names none (mandate.auth.default-tenant-id).
insert into tenant (id, name, created_at) values ('ten_default', 'default', now());

create table human (
    id                text primary key,
    tenant_id         text        not null references tenant (id),
    username          text        not null,
    email             text        not null,
    roles             text[]      not null,
    permissions       text[]      not null,
    status            text        not null check (status in ('active', 'disabled')),
    password_hash     text,
    external_subject  text,
    version           bigint      not null,
    created_at        timestamptz not null,
    updated_at        timestamptz not null
);
-- Login names one account without naming a tenant, so usernames are unique across tenants.
create unique index human_username_key on human (lower(username));
create unique index human_email_key on human (tenant_id, lower(email));
create unique index human_external_subject_key on human (tenant_id, external_subject) where external_subject is not null;

-- Idempotency-Key now guards every creating POST (agents, humans, tenants), not only agents.
alter table idempotency_key rename column agent_id to resource_id;
