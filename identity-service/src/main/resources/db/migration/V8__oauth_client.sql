-- How an agent or app signs people in through the browser (type, redirect URIs, logo, token endpoint
-- authentication method); null for an agent that only gets tokens for itself.
alter table agent add column client jsonb;
