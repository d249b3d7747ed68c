-- The enterprise IdP's subject an account is linked to (identity-service links it on first use).
alter table human_projection add column external_subject text;
create index human_projection_external_subject on human_projection (tenant_id, external_subject);

-- A sign-in through the enterprise IdP in progress: the browser left for the IdP with this state (only its
-- SHA-256 kept), nonce and PKCE verifier, and comes back once within ten minutes.
create table idp_sign_in (
    state_hash    text primary key,
    request_id    text,
    nonce         text        not null,
    code_verifier text        not null,
    expires_at    timestamptz not null
);
