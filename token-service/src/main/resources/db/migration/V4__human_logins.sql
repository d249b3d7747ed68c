-- Human accounts as identity-service's human.verifier events describe them (internal topic).
create table human_projection (
    user_id        text primary key,
    tenant_id      text        not null,
    username       text        not null,
    email          text        not null,
    password_hash  text,
    roles          text[]      not null,
    status         text        not null,
    version        bigint      not null,
    updated_at     timestamptz not null default now()
);
create unique index human_projection_username on human_projection (lower(username));

-- Consecutive failed logins per username (known or not), and until when the name is locked.
create table login_failure (
    username      text primary key,
    failures      integer     not null,
    locked_until  timestamptz,
    updated_at    timestamptz not null default now()
);
