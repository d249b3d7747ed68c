-- identity-service now publishes public keys (jwk, pgp) next to API keys; a client secret is only
-- ever checked against an api_key verifier.
alter table credential_projection add column kind text not null default 'api_key';
