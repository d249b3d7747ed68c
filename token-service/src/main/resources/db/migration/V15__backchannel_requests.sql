-- CIBA (OpenID Client-Initiated Backchannel Authentication, poll mode): an agent's request that a person
-- approve, kept until the agent has polled its token. It lives in delegation-service as a delegation request;
-- this row follows it (delegation.approved, .denied, .expired) and paces the polling.
create table backchannel_request (
    auth_req_hash          text primary key,
    tenant_id              text        not null,
    client_id              text        not null,
    user_id                text        not null,
    delegation_request_id  text        not null unique,
    status                 text        not null check (status in ('pending', 'approved', 'denied', 'expired', 'issued')),
    interval_seconds       int         not null,
    next_poll_at           timestamptz not null,
    expires_at             timestamptz not null,
    delegation_id          text,
    granted_scopes         text[],
    grant_expires_at       timestamptz,
    authorization_details  text
);
