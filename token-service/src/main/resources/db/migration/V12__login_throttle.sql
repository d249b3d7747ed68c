-- Login attempts per (username, client address) and per client address. An attempt counts before the
-- password is checked (concurrent guesses cannot pass together) and slows its key down more with each
-- failure in a row, never locking a username for everyone. Replaces login_failure.
drop table login_failure;
create table login_throttle (
    key           text primary key,
    failures      integer     not null,
    next_allowed  timestamptz not null,
    updated_at    timestamptz not null default now()
);
create index login_throttle_updated_at on login_throttle (updated_at);
