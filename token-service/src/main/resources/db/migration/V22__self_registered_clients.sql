-- How a client that registered itself did (metadata_document, dynamic): such a client gets tokens only
-- through a person's consent.
alter table agent_projection add column client_registration text;
