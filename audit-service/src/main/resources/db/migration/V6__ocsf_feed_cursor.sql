-- The OCSF feed (mandate.audit.ocsf) reads the trail itself instead of an outbox copy of every
-- record: per chain, the last record whose OCSF form Kafka acknowledged.
create table ocsf_feed_cursor (
    chain text primary key,
    seq   bigint not null
);
-- Records appended before this table existed were queued in the outbox, which still relays them.
insert into ocsf_feed_cursor (chain, seq) select chain, seq from audit_chain_head;
