-- A client that identifies itself by a Client ID Metadata Document: its client_id is the document's URL.
alter table agent_projection add column client_id_url text;
create index agent_projection_client_id_url on agent_projection (client_id_url) where client_id_url is not null;
