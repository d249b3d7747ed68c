-- Idempotency-Key records (SPEC §3) for services that take IdempotencyKeys from libs/api-conventions.
-- identity-service has had the same table since its V2 and does not use this location.
create table if not exists idempotency_key (
    tenant_id     text        not null,
    key           text        not null,
    request_hash  text        not null,
    resource_id   text        not null,
    created_at    timestamptz not null default now(),
    primary key (tenant_id, key)
);
