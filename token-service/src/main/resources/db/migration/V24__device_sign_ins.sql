-- The command line signing a person in through the browser (RFC 8628's shape): a short user code the person
-- approves at /device once signed in, and a device code (only its SHA-256 kept) the command line polls with.
create table device_sign_in (
    device_code_hash text primary key,
    user_code        text        not null unique,
    status           text        not null, -- pending, approved, denied, used
    user_id          text,
    interval_seconds integer     not null,
    polled_at        timestamptz,
    created_at       timestamptz not null,
    expires_at       timestamptz not null
);
