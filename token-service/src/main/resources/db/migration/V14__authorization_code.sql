-- People in the browser: their sessions, the authorization requests waiting on a page, the codes those
-- end in, and the consents a person asked to be remembered.

-- A signed-in browser (cookie mandate_session; only its SHA-256 is kept).
create table browser_session (
    session_hash     text primary key,
    user_id          text        not null,
    tenant_id        text        not null,
    authenticated_at timestamptz not null,
    expires_at       timestamptz not null
);
create index browser_session_user on browser_session (user_id);

-- An authorization request (RFC 6749 §4.1.1, or pushed: RFC 9126) checked and waiting for sign-in and
-- consent. Its id is the request_uri of a pushed request and the request parameter of the pages.
create table authorization_request (
    request_id     text primary key,
    tenant_id      text        not null,
    client_id      text        not null,
    redirect_uri   text        not null,
    scopes         text[]      not null,
    offline        boolean     not null,
    resources      text[]      not null,
    state          text,
    code_challenge text        not null,
    prompt         text,
    pushed         boolean     not null,
    expires_at     timestamptz not null
);

-- A code handed to the client (only its SHA-256 is kept). Once used it records what it issued, so that a
-- second use revokes that (RFC 6749 §4.1.2).
create table authorization_code (
    code_hash             text primary key,
    tenant_id             text        not null,
    client_id             text        not null,
    user_id               text        not null,
    redirect_uri          text        not null,
    code_challenge        text        not null,
    scopes                text[]      not null,
    offline               boolean     not null,
    resources             text[]      not null,
    delegation_id         text        not null,
    delegation_expires_at timestamptz not null,
    expires_at            timestamptz not null,
    used_at               timestamptz,
    access_jti            text,
    access_expires_at     timestamptz,
    refresh_family_id     text
);

-- Consent a person asked to remember: the next request of the client within it skips the page.
create table remembered_consent (
    user_id               text        not null,
    client_id             text        not null,
    tenant_id             text        not null,
    scopes                text[]      not null,
    offline               boolean     not null,
    resources             text[]      not null,
    delegation_id         text        not null,
    delegation_expires_at timestamptz not null,
    primary key (user_id, client_id)
);

-- Refresh tokens of a person's consent: whose authority they carry and under which grant.
alter table refresh_token
    add column user_id               text,
    add column delegation_id         text,
    add column delegation_expires_at timestamptz,
    add column acts                  boolean not null default false;
alter table refresh_token alter column credential_id drop not null;
