-- The dispatcher takes each endpoint's oldest due messages (fairness: one endpoint's backlog does not
-- hide the others' messages).
create index webhook_message_endpoint_due on webhook_message (endpoint_id, next_attempt_at) where status = 'pending';
