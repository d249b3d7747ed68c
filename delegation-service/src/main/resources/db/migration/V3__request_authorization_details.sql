-- RFC 9396 authorization details an agent asks for with a request (JSON array, as it sent them): the person
-- approves them as they are, and tokens for the approved request carry exactly them.
alter table delegation_request add column authorization_details text;
