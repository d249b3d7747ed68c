-- Secret rotation keeps the previous secret signing beside the new one until it expires.
alter table webhook_endpoint add column previous_secret bytea;
alter table webhook_endpoint add column previous_secret_expires_at timestamptz;
-- Since when every attempt has failed (null after a success): 5 days of it disables the endpoint.
alter table webhook_endpoint add column failing_since timestamptz;
-- Deleted endpoints stay as rows (their messages and attempts refer to them) but are gone from the API.
alter table webhook_endpoint add column deleted_at timestamptz;

-- What the receiver answered, at most 1 KiB of it.
alter table webhook_attempt add column response_excerpt text;

create index webhook_message_endpoint on webhook_message (endpoint_id, created_at desc, id desc);
