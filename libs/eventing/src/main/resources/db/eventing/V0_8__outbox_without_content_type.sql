-- audit-service's OCSF stream, the only outbox records that were not CloudEvents, is read from the
-- trail itself now (OcsfFeed); every outbox record is a CloudEvents JSON document again.
alter table outbox_event drop column content_type;
