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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Idempotent consumer side. {@link #process} and {@link #processBatch} record the event id in the
 * same transaction as the event's effect, so an event delivered twice has its effect once
 * ({@link #processIdempotentBatch} leaves that to an effect that is idempotent by itself). The
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

    /** Runs the shards of a batch beyond the first (which runs on the caller's thread). */
    private final ExecutorService shardWorkers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "inbox-shard");
        thread.setDaemon(true);
        return thread;
    });

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
        shardWorkers.shutdown();
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
        return retrying(consumer, event,
                () -> applyAll(recordedFor(consumer), List.of(event), fresh -> fresh.forEach(effect)) > 0);
    }

    /**
     * Applies a batch of records polled together (a channel with {@code batch=true}): the fresh
     * events (duplicates left out) in one transaction, with one {@code effect} call for all of them,
     * in order. If that transaction fails, the events are applied one by one (as {@link #process},
     * with its retries), and only those that still fail are nacked: the channel's failure strategy
     * sends them, alone, to the dead-letter topic. The returned stage completes once the batch is
     * acknowledged, which is after the commit: a crash before that re-delivers, never loses.
     */
    public CompletionStage<Void> processBatch(String consumer, KafkaRecordBatch<String, String> batch,
            Consumer<List<CloudEvent>> effect) {
        return inShards(consumer, recordedFor(consumer), batch, 1, event -> 0, effect);
    }

    /**
     * {@link #processBatch} for a consumer whose effect is idempotent on the event id by itself (the
     * audit trail stores each id once) and so needs no {@code processed_event} row per event: the
     * effect gets every event of the batch. The batch is split by {@code shardOf} into up to
     * {@code shards} groups applied in parallel, each in its own transaction (and each falling back
     * to one by one on its own): for effects whose events in different shards never wait for each
     * other (audit: one hash chain per tenant, sharded by tenant). Within a shard the order is kept.
     */
    public CompletionStage<Void> processIdempotentBatch(String consumer, KafkaRecordBatch<String, String> batch,
            int shards, ToIntFunction<CloudEvent> shardOf, Consumer<List<CloudEvent>> effect) {
        return inShards(consumer, events -> events, batch, shards, shardOf, effect);
    }

    /** Of these events, the ones the consumer had not applied; run in the transaction that applies them. */
    private interface Unapplied extends UnaryOperator<List<CloudEvent>> {
    }

    /** Records the ids in {@code processed_event} and keeps the events whose id was not there yet. */
    private Unapplied recordedFor(String consumer) {
        return batch -> {
            @SuppressWarnings("unchecked")
            Set<String> fresh = new HashSet<>(em.createNativeQuery("""
                    insert into processed_event (consumer, event_id) select ?1, unnest(cast(?2 as text[]))
                    on conflict do nothing returning event_id""")
                    .setParameter(1, consumer)
                    .setParameter(2, batch.stream().map(CloudEvent::id).toArray(String[]::new))
                    .getResultList());
            // A second copy within the batch is a duplicate too: only the first copy takes the id.
            return batch.stream().filter(event -> fresh.remove(event.id())).toList();
        };
    }

    private CompletionStage<Void> inShards(String consumer, Unapplied unapplied, KafkaRecordBatch<String, String> batch,
            int shards, ToIntFunction<CloudEvent> shardOf, Consumer<List<CloudEvent>> effect) {
        List<CompletableFuture<Void>> nacks = new ArrayList<>();
        Map<Integer, List<Parsed>> groups = new TreeMap<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            CloudEvent event;
            try {
                event = events.parse(record.getPayload());
            } catch (RuntimeException notAnEvent) {
                nacks.add(record.nack(notAnEvent).toCompletableFuture());
                continue;
            }
            groups.computeIfAbsent(Math.floorMod(shardOf.applyAsInt(event), shards), shard -> new ArrayList<>())
                    .add(new Parsed(record, event));
        }
        List<List<Parsed>> work = new ArrayList<>(groups.values());
        List<CompletableFuture<List<Failed>>> others = work.stream().skip(1)
                .map(group -> CompletableFuture.supplyAsync(() -> applyGroup(consumer, unapplied, group, effect),
                        shardWorkers))
                .toList();
        List<Failed> failed = new ArrayList<>(work.isEmpty() ? List.of()
                : applyGroup(consumer, unapplied, work.get(0), effect));
        others.forEach(group -> failed.addAll(group.join()));
        failed.forEach(f -> nacks.add(f.record().nack(f.failure()).toCompletableFuture()));
        return CompletableFuture.allOf(nacks.toArray(CompletableFuture[]::new)).thenCompose(nacked -> batch.ack());
    }

    private record Parsed(KafkaRecord<String, String> record, CloudEvent event) {
    }

    private record Failed(KafkaRecord<String, String> record, RuntimeException failure) {
    }

    /** A group in one transaction; if that fails, event by event with retries. The events that still failed. */
    private List<Failed> applyGroup(String consumer, Unapplied unapplied, List<Parsed> group,
            Consumer<List<CloudEvent>> effect) {
        try {
            applyAll(unapplied, group.stream().map(Parsed::event).toList(), effect);
            return List.of();
        } catch (RuntimeException groupFailed) {
            List<Failed> failed = new ArrayList<>();
            for (Parsed parsed : group) {
                try {
                    retrying(consumer, parsed.event(), () -> applyAll(unapplied, List.of(parsed.event()), effect));
                } catch (RuntimeException e) {
                    failed.add(new Failed(parsed.record(), e));
                }
            }
            return failed;
        }
    }

    /** The unapplied events, in one new transaction, without retries; how many were applied. */
    private int applyAll(Unapplied unapplied, List<CloudEvent> batch, Consumer<List<CloudEvent>> effect) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<CloudEvent> fresh = unapplied.apply(batch);
            effect.accept(fresh);
            return fresh.size();
        });
    }

    /** Runs {@code attempt} (one transaction) until it commits, with backoff, up to the configured attempts. */
    private <T> T retrying(String consumer, CloudEvent event, Supplier<T> attempt) {
        long backoff = config.initialBackoff().toMillis();
        for (int attempts = 1;; attempts++) {
            try {
                return attempt.get();
            } catch (BadEventException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                // The effect refused the event's content (e.g. a snapshot missing): retrying cannot help.
                throw new BadEventException(e.getMessage());
            } catch (RuntimeException e) {
                if (attempts >= config.maxAttempts()) {
                    throw e;
                }
                LOG.warnf("%s: event %s (%s) failed on attempt %d, retrying: %s", consumer, event.id(), event.type(),
                        attempts, e.getMessage());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
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
