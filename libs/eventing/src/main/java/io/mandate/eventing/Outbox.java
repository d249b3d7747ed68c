package io.mandate.eventing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;

/**
 * Transactional outbox: {@link #add} writes the event in the caller's transaction, so the event
 * exists exactly when the change it describes was committed. {@link OutboxRelay} ships it to Kafka.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final Events events;
    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry transactions;

    Outbox(EntityManager em, Events events, OutboxRelay relay, TransactionSynchronizationRegistry transactions) {
        this.em = em;
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
        addRecords(List.of(new Record(topic, key, event.id(), events.toJson(event), null)));
    }

    /**
     * A record to send: a CloudEvent ({@code contentType} null), or a payload that is not one (e.g. an
     * OCSF document), sent with {@code contentType} as its {@code content-type} header. {@code id}
     * identifies it in logs.
     */
    public record Record(String topic, String key, String id, String payload, String contentType) {
    }

    /** Adds records, in order, with one statement. Must run inside the business transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void addRecords(List<Record> records) {
        if (records.isEmpty()) {
            return;
        }
        em.createNativeQuery("""
                insert into outbox_event (topic, event_key, event_id, payload, content_type)
                select * from unnest(cast(?1 as text[]), cast(?2 as text[]), cast(?3 as text[]), cast(?4 as text[]),
                    cast(?5 as text[]))""")
                .setParameter(1, records.stream().map(Record::topic).toArray(String[]::new))
                .setParameter(2, records.stream().map(Record::key).toArray(String[]::new))
                .setParameter(3, records.stream().map(Record::id).toArray(String[]::new))
                .setParameter(4, records.stream().map(Record::payload).toArray(String[]::new))
                .setParameter(5, records.stream().map(Record::contentType).toArray(String[]::new))
                .executeUpdate();
        transactions.registerInterposedSynchronization(new WakeRelayOnCommit(relay));
    }

    private record WakeRelayOnCommit(OutboxRelay relay) implements Synchronization {
        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                relay.wake();
            }
        }
    }
}
