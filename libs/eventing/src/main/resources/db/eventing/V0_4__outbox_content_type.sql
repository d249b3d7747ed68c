-- Outbox records that are not CloudEvents (audit-service's OCSF stream) carry their own content type;
-- null means a CloudEvents JSON document.
alter table outbox_event add column content_type text;
