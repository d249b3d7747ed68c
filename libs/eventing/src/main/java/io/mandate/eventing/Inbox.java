package io.mandate.eventing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Idempotent consumer side. {@link #process} and {@link #processBatch} record the event id in the
 * same transaction as the event's effect, so an event delivered twice has its effect once. The
 * caller's {@code @Incoming} method returns only after that commit, and only then is the Kafka
 * offset acknowledged.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private final EntityManager em;
    private final Events events;
    private final EventingConfig.Inbox config;
    private final WakeableLoop pruning;

    Inbox(EntityManager em, Events events, EventingConfig config) {
        this.em = em;
        this.events = events;
        this.config = config.inbox();
        this.pruning = WakeableLoop.every("inbox-pruning", this.config.pruneInterval(), this::prune);
    }

    void start(@Observes StartupEvent startup) {
        pruning.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        pruning.stop();
    }

    /**
     * Forgets the ids of events processed longer ago than the retention, a chunk per transaction so
     * that no long lock is held; returns how many went.
     */
    public long prune() {
        long pruned = 0;
        int chunk;
        do {
            chunk = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                    delete from processed_event where ctid in (
                        select ctid from processed_event where processed_at < now() - cast(?1 as interval) limit 10000)""")
                    .setParameter(1, config.retention().toSeconds() + " seconds").executeUpdate());
            pruned += chunk;
        } while (chunk == 10_000);
        return pruned;
    }

    /**
     * Applies {@code effect} to the event unless this consumer already did.
     *
     * @return true if the effect ran, false for a duplicate
     * @throws BadEventException when the record is not a CloudEvent or the effect refuses it (throws
     *                           {@link BadEventException} or {@link IllegalArgumentException}): the
     *                           channel's failure strategy moves it to the dead-letter topic
     */
    public boolean process(String consumer, String json, Consumer<CloudEvent> effect) {
        CloudEvent event = events.parse(json);
        long backoff = config.initialBackoff().toMillis();
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> applyOnce(consumer, event, effect));
            } catch (BadEventException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                // The effect refused the event's content (e.g. a snapshot missing): retrying cannot help.
                throw new BadEventException(e.getMessage());
            } catch (RuntimeException e) {
                if (attempt >= config.maxAttempts()) {
                    throw e;
                }
                LOG.warnf("%s: event %s (%s) failed on attempt %d, retrying: %s", consumer, event.id(), event.type(),
                        attempt, e.getMessage());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /**
     * Applies a batch of records polled together (a channel with {@code batch=true}): the fresh
     * events (duplicates left out) in one transaction, with one {@code effect} call for all of them,
     * in order. If that transaction fails, the records are applied one by one ({@link #process}, with
     * its retries), and only those that still fail are nacked: the channel's failure strategy sends
     * them, alone, to the dead-letter topic. The returned stage completes once the batch is
     * acknowledged, which is after the commit: a crash before that re-delivers, never loses.
     */
    public CompletionStage<Void> processBatch(String consumer, KafkaRecordBatch<String, String> batch,
            Consumer<List<CloudEvent>> effect) {
        try {
            applyAll(consumer, batch.getPayload(), effect);
            return batch.ack();
        } catch (RuntimeException batchFailed) {
            List<CompletableFuture<Void>> nacks = new ArrayList<>();
            for (KafkaRecord<String, String> record : batch.getRecords()) {
                try {
                    process(consumer, record.getPayload(), event -> effect.accept(List.of(event)));
                } catch (RuntimeException failed) {
                    nacks.add(record.nack(failed).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(nacks.toArray(CompletableFuture[]::new)).thenCompose(nacked -> batch.ack());
        }
    }

    /** The events of a batch in one transaction, without retries: anything failing rolls back all and propagates. */
    private void applyAll(String consumer, List<String> jsons, Consumer<List<CloudEvent>> effect) {
        List<CloudEvent> batch = jsons.stream().map(events::parse).toList();
        QuarkusTransaction.requiringNew().run(() -> {
            @SuppressWarnings("unchecked")
            Set<String> fresh = new HashSet<>(em.createNativeQuery("""
                    insert into processed_event (consumer, event_id) select ?1, unnest(cast(?2 as text[]))
                    on conflict do nothing returning event_id""")
                    .setParameter(1, consumer)
                    .setParameter(2, batch.stream().map(CloudEvent::id).toArray(String[]::new))
                    .getResultList());
            // A second copy within the batch is a duplicate too: only the first copy takes the id.
            effect.accept(batch.stream().filter(event -> fresh.remove(event.id())).toList());
        });
    }

    private boolean applyOnce(String consumer, CloudEvent event, Consumer<CloudEvent> effect) {
        int inserted = em.createNativeQuery(
                "insert into processed_event (consumer, event_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, event.id())
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        effect.accept(event);
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying an event", e);
        }
    }
}
