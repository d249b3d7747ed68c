package io.mandate.eventing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Idempotent consumer side. {@link #process} records the event id in the same transaction as the
 * event's effect, so an event delivered twice has its effect once. The caller's {@code @Incoming}
 * method returns only after that commit, and only then is the Kafka offset acknowledged.
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
     * {@link #process} for several events in one transaction, one {@code effect} for all the fresh
     * ones (duplicates left out), in order, without retries: if anything fails the
     * whole transaction rolls back and the exception propagates ({@link GroupCommit} then processes
     * the events one by one).
     *
     * @return for each event, in order, whether its effect ran (false for a duplicate)
     */
    @SuppressWarnings("unchecked")
    public List<Boolean> processBatch(String consumer, List<String> jsons, Consumer<List<CloudEvent>> effect) {
        List<CloudEvent> batch = jsons.stream().map(events::parse).toList();
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            Set<String> fresh = new HashSet<>(em.createNativeQuery("""
                    insert into processed_event (consumer, event_id) select ?1, unnest(cast(?2 as text[]))
                    on conflict do nothing returning event_id""")
                    .setParameter(1, consumer)
                    .setParameter(2, batch.stream().map(CloudEvent::id).toArray(String[]::new))
                    .getResultList());
            List<Boolean> applied = new ArrayList<>(batch.size());
            List<CloudEvent> toApply = new ArrayList<>(batch.size());
            for (CloudEvent event : batch) {
                boolean first = fresh.remove(event.id());
                if (first) {
                    toApply.add(event);
                }
                applied.add(first);
            }
            effect.accept(toApply);
            return applied;
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
