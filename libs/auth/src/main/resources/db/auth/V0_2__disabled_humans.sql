-- Humans identity-service disabled (human.disabled): their still-unexpired tokens are refused here.
create table disabled_human (
    user_id      text primary key,
    tenant_id    text        not null,
    disabled_at  timestamptz not null default now()
);
