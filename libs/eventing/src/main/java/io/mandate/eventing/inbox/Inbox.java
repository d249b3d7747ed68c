package io.mandate.eventing.inbox;

import io.mandate.eventing.EventingConfig;
import io.mandate.eventing.envelope.BadEventException;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.envelope.Events;
import io.mandate.eventing.loop.WakeableLoop;
import io.mandate.eventing.tracing.EventTracing;
import io.mandate.sql.Sql;
import io.opentelemetry.context.Context;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Idempotent consumer side. {@link #process} and {@link #processBatch} record the event id in the
 * same transaction as the event's effect, so an event delivered twice has its effect once
 * ({@link #processIdempotentBatch} leaves that to an effect that is idempotent by itself). The
 * caller's {@code @Incoming} method returns only after that commit, and only then is the Kafka
 * offset acknowledged.
 *
 * <p>Nothing is dropped. A failure that may pass (database, broker, timeout) is retried without
 * limit, with backoff, while the record's partition waits and readiness is DOWN ({@link ConsumerStalls}).
 * Only a record that can never be applied ({@link Failures#neverApplies}) goes to the dead-letter topic
 * ({@link DeadLetters}), and then the consumer moves on. When the service stops in the middle of a
 * retry, the record is neither acknowledged nor dead-lettered: the channel fails and the record is
 * delivered again after the restart.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private final Sql sql;
    private final Events events;
    private final EventingConfig.Inbox config;
    private final WakeableLoop pruning;
    private final DeadLetters deadLetters;
    private final ConsumerStalls stalls;
    private final EventTracing tracing;
    private final AppliedDelays delays;
    private volatile boolean stopping;

    /** Runs the shards of a batch beyond the first (which runs on the caller's thread). */
    private final ExecutorService shardWorkers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "inbox-shard");
        thread.setDaemon(true);
        return thread;
    });

    Inbox(Sql sql, Events events, EventingConfig config, DeadLetters deadLetters, ConsumerStalls stalls,
            EventTracing tracing, AppliedDelays delays) {
        this.sql = sql;
        this.events = events;
        this.deadLetters = deadLetters;
        this.stalls = stalls;
        this.tracing = tracing;
        this.delays = delays;
        this.config = config.inbox();
        this.pruning = WakeableLoop.every("inbox-pruning", this.config.pruneInterval(), this::prune);
    }

    void start(@Observes StartupEvent startup) {
        pruning.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        stopping = true;
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
            chunk = QuarkusTransaction.requiringNew().call(() -> sql.update("""
                    delete from processed_event where ctid in (
                        select ctid from processed_event where processed_at < now() - cast(?1 as interval) limit 10000)""",
                    config.retention().toSeconds() + " seconds"));
            pruned += chunk;
        } while (chunk == 10_000);
        return pruned;
    }

    /**
     * Applies {@code effect} to the event in {@code record} unless this consumer already did; a record that
     * can never be applied (not a CloudEvent, refused by the effect with {@link BadEventException} or
     * {@link IllegalArgumentException}, data the database refuses) is dead-lettered instead.
     *
     * @return true if the effect ran, false for a duplicate, a dead-lettered or a passed-over record
     */
    public boolean process(String consumer, ConsumerRecord<String, String> record, Consumer<CloudEvent> effect) {
        return process(consumer, record, event -> true, effect);
    }

    /**
     * {@link #process} for a consumer that reads a topic for a few of its event types: an event
     * {@code concerns} refuses is passed over at once, with no transaction and no {@code processed_event}
     * row (so a busy topic costs such a consumer little more than reading it).
     */
    public boolean process(String consumer, ConsumerRecord<String, String> record, Predicate<CloudEvent> concerns,
            Consumer<CloudEvent> effect) {
        DeadLetters.Delivered delivered = new DeadLetters.Delivered(record.topic(), record.partition(), record.offset(),
                record.key(), record.value());
        CloudEvent event;
        try {
            event = events.parse(record.topic(), record.value());
        } catch (RuntimeException notAnEvent) {
            deadLetter(consumer, delivered, null, notAnEvent.getMessage());
            return false;
        }
        if (!concerns.test(event)) {
            return false;
        }
        return tracing.process(consumer, record.topic(), List.of(event), () -> {
            try {
                return untilApplied(consumer, event,
                        () -> applyAll(consumer, recordedFor(consumer), List.of(event), fresh -> fresh.forEach(effect)) > 0);
            } catch (BadEventException e) {
                deadLetter(consumer, delivered, event.type(), e.getMessage());
                return false;
            }
        });
    }

    /**
     * Applies a batch of records polled together (a channel with {@code batch=true}): the fresh
     * events (duplicates left out) in one transaction, with one {@code effect} call for all of them,
     * in order. If that transaction fails, the events are applied one by one (as {@link #process},
     * with its retries), and those that can never be applied go, alone, to the dead-letter topic. The
     * returned stage completes once the batch is acknowledged, which is after the commit: a crash
     * before that re-delivers, never loses.
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
            Set<String> fresh = new HashSet<>(sql.list("""
                    insert into processed_event (consumer, event_id) select ?1, unnest(cast(?2 as text[]))
                    on conflict do nothing returning event_id""", row -> row.string("event_id"),
                    consumer, batch.stream().map(CloudEvent::id).toArray(String[]::new)));
            // A second copy within the batch is a duplicate too: only the first copy takes the id.
            return batch.stream().filter(event -> fresh.remove(event.id())).toList();
        };
    }

    private CompletionStage<Void> inShards(String consumer, Unapplied unapplied, KafkaRecordBatch<String, String> batch,
            int shards, ToIntFunction<CloudEvent> shardOf, Consumer<List<CloudEvent>> effect) {
        Map<Integer, List<Parsed>> groups = new TreeMap<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            CloudEvent event;
            try {
                event = events.parse(record.getTopic(), record.getPayload());
            } catch (RuntimeException notAnEvent) {
                deadLetter(consumer, delivered(record), null, notAnEvent.getMessage());
                continue;
            }
            groups.computeIfAbsent(Math.floorMod(shardOf.applyAsInt(event), shards), shard -> new ArrayList<>())
                    .add(new Parsed(record, event));
        }
        List<List<Parsed>> work = new ArrayList<>(groups.values());
        if (work.isEmpty()) {
            return batch.ack();
        }
        List<CloudEvent> parsed = work.stream().flatMap(List::stream).map(Parsed::event).toList();
        List<String> topics = work.stream().flatMap(List::stream).map(p -> p.record().getTopic()).distinct().toList();
        try {
            tracing.process(consumer, topics.size() == 1 ? topics.get(0) : null, parsed, () -> {
                // The shards beyond the first run in the batch's span too.
                List<CompletableFuture<Void>> others = work.stream().skip(1)
                        .map(group -> CompletableFuture.runAsync(Context.current().wrap(
                                () -> applyGroup(consumer, unapplied, group, effect)), shardWorkers))
                        .toList();
                applyGroup(consumer, unapplied, work.get(0), effect);
                return CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();
            });
        } catch (RuntimeException stopped) {
            // Only a stop ends a shard early: nothing of this batch is acknowledged, it comes again.
            return CompletableFuture.failedFuture(stopped);
        }
        return batch.ack();
    }

    private static DeadLetters.Delivered delivered(KafkaRecord<String, String> record) {
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
        return new DeadLetters.Delivered(record.getTopic(), record.getPartition(), offset, record.getKey(),
                record.getPayload());
    }

    private record Parsed(KafkaRecord<String, String> record, CloudEvent event) {
    }

    /** A group in one transaction; if that fails, event by event with retries, dead-lettering what never applies. */
    private void applyGroup(String consumer, Unapplied unapplied, List<Parsed> group, Consumer<List<CloudEvent>> effect) {
        try {
            applyAll(consumer, unapplied, group.stream().map(Parsed::event).toList(), effect);
        } catch (RuntimeException groupFailed) {
            for (Parsed parsed : group) {
                try {
                    untilApplied(consumer, parsed.event(), () -> applyAll(consumer, unapplied, List.of(parsed.event()), effect));
                } catch (BadEventException e) {
                    deadLetter(consumer, delivered(parsed.record()), parsed.event().type(), e.getMessage());
                }
            }
        }
    }

    /** The unapplied events, in one new transaction, without retries; how many were applied. */
    private int applyAll(String consumer, Unapplied unapplied, List<CloudEvent> batch,
            Consumer<List<CloudEvent>> effect) {
        List<CloudEvent> applied = QuarkusTransaction.requiringNew().call(() -> {
            List<CloudEvent> fresh = unapplied.apply(batch);
            effect.accept(fresh);
            return fresh;
        });
        delays.record(consumer, applied);
        return applied.size();
    }

    /**
     * Runs {@code attempt} (one transaction) until it commits. A failure that can never pass becomes a
     * {@link BadEventException} at once; any other is retried without limit.
     */
    private <T> T untilApplied(String consumer, CloudEvent event, Callable<T> attempt) {
        return untilDone(consumer, "event " + event.id() + " (" + event.type() + ")", () -> {
            try {
                return attempt.call();
            } catch (RuntimeException e) {
                if (Failures.neverApplies(e)) {
                    throw e instanceof BadEventException bad ? bad : new BadEventException(Failures.describe(e));
                }
                throw e;
            }
        });
    }

    /** To the dead-letter topic, insisting while Kafka does not acknowledge. */
    private void deadLetter(String consumer, DeadLetters.Delivered record, String type, String reason) {
        untilDone(consumer, "dead-lettering " + record.topic() + "-" + record.partition() + "@" + record.offset(), () -> {
            deadLetters.send(consumer, record, type, reason);
            return null;
        });
    }

    /**
     * Runs {@code attempt} until it returns, with capped exponential backoff, reporting the stall to readiness
     * meanwhile. A {@link BadEventException} passes through; a stop of the service ends it with
     * {@link InboxStoppedException}.
     */
    private <T> T untilDone(String consumer, String work, Callable<T> attempt) {
        long backoff = config.initialBackoff().toMillis();
        for (int attempts = 1;; attempts++) {
            try {
                T result = attempt.call();
                if (attempts > 1) {
                    stalls.recovered(consumer, work);
                    LOG.infof("%s: %s succeeded on attempt %d", consumer, work, attempts);
                }
                return result;
            } catch (BadEventException e) {
                stalls.recovered(consumer, work);
                throw e;
            } catch (Exception e) {
                if (stopping) {
                    throw new InboxStoppedException(consumer + ": stopped while retrying " + work, e);
                }
                stalls.failing(consumer, work, Failures.describe(e));
                LOG.warnf("%s: %s failed on attempt %d, retrying in %d ms: %s", consumer, work, attempts, backoff,
                        Failures.describe(e));
                sleep(consumer, work, backoff);
                backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
            }
        }
    }

    private void sleep(String consumer, String work, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InboxStoppedException(consumer + ": interrupted while retrying " + work, e);
        }
    }
}
