-- The inbox keeps an event id only as long as the event could be delivered again (Inbox.prune).
create index processed_event_processed_at on processed_event (processed_at);
