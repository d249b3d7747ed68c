-- Clients that identified themselves by a Client ID Metadata Document (an https URL as client_id): one
-- agent per document URL and tenant, registered by token-service the first time someone signs in with it.
create unique index agent_client_id_url on agent (tenant_id, (client ->> 'client_id_url'))
    where client ->> 'client_id_url' is not null;
