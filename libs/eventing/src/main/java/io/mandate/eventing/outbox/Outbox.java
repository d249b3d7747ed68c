package io.mandate.eventing.outbox;

import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.envelope.Events;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/**
 * Transactional outbox: {@link #add} writes the event in the caller's transaction, so the event
 * exists exactly when the change it describes was committed. {@link OutboxRelay} ships it to Kafka.
 */
@ApplicationScoped
public class Outbox {

    private final Sql sql;
    private final Events events;
    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry transactions;

    Outbox(Sql sql, Events events, OutboxRelay relay, TransactionSynchronizationRegistry transactions) {
        this.sql = sql;
        this.events = events;
        this.relay = relay;
        this.transactions = transactions;
    }

    /** Adds an event keyed by its partition key. Must run inside the business transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(String topic, CloudEvent event) {
        add(topic, event.partitionkey(), event);
    }

    /** Adds an event under an explicit Kafka key (e.g. a credential id on a compacted topic). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(String topic, String key, CloudEvent event) {
        sql.update("insert into outbox_event (topic, event_key, event_id, payload) values (?1, ?2, ?3, ?4)",
                topic, key, event.id(), events.toJson(event));
        AfterCommit.run(transactions, relay::wake);
    }
}
