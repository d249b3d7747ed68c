package io.mandate.eventing.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.sql.Sql;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InboxIT {

    private static final String TOPIC = "mandate.test.inbox";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Inject
    Sql sql;

    @Inject
    Inbox inbox;

    @Inject
    ConsumerStalls stalls;

    @Inject
    MeterRegistry metrics;

    static String event(String id, String type) {
        return TestEvents.withSource("/test", type).id(id).subject("s").time("2026-11-22T00:00:00Z").tenant("ten_t")
                .data(Map.of("tenant_id", "ten_t")).json();
    }

    long effects(String eventId) {
        return sql.count("select count(*) from test_effect where event_id = ?1", eventId);
    }

    @Test
    void eventDeliveredTwiceHasItsEffectOnce() {
        String id = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(TOPIC, "k", event(id, "test.happened"));
            writer.send(TOPIC, "k", event(id, "test.happened"));
            writer.send(TOPIC, "k", event(marker, "test.marker"));
        }
        // The marker comes after both copies on the same partition: once it is in, both copies were handled.
        await().atMost(TIMEOUT).until(() -> effects(marker) == 1);
        assertEquals(1, effects(id));
    }

    @Test
    void eventsArrivingTogetherAreEachAppliedOnceAndOnePoisonedEventFailsAlone() {
        List<String> ids = IntStream.range(0, 200).mapToObj(i -> UUID.randomUUID().toString()).toList();
        String poison = UUID.randomUUID().toString();
        try (TopicWriter writer = new TopicWriter(); TopicReader dlq = TopicReader.of(TOPIC + ".dlq")) {
            for (int i = 0; i < ids.size(); i++) {
                writer.send(TOPIC, "k" + i, event(ids.get(i), "test.happened"));
                if (i == 100) {
                    writer.send(TOPIC, "k" + i, event(poison, "test.poison"));
                    writer.send(TOPIC, "k" + i, event(ids.get(50), "test.happened"));
                }
            }
            await().atMost(TIMEOUT).until(() -> ids.stream().allMatch(id -> effects(id) == 1));
            await().atMost(TIMEOUT).until(() -> dlq.drain(Duration.ofMillis(200)).stream()
                    .anyMatch(r -> r.value().contains(poison)));
        }
        assertEquals(0, effects(poison));
        assertEquals(1, effects(ids.get(50)), "the copy sent again was applied once");
    }

    @Test
    void theDelayBetweenAnEventsWritingAndItsApplicationIsMeasuredPerConsumer() {
        long before = appliedDelays().map(Timer::count).orElse(0L);
        String recent = UUID.randomUUID().toString();
        String old = UUID.randomUUID().toString();
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(TOPIC, "k", TestEvents.withSource("/test", "test.happened").id(recent).subject("s")
                    .time(Instant.now().toString()).tenant("ten_t").data(Map.of("tenant_id", "ten_t")).json());
            writer.send(TOPIC, "k", event(old, "test.happened")); // written 2026-11-22
        }
        await().atMost(TIMEOUT).until(() -> appliedDelays().map(Timer::count).orElse(0L) >= before + 2);
        Timer timer = appliedDelays().orElseThrow();
        assertTrue(timer.max(TimeUnit.DAYS) >= 1, "the old event waited days");
        assertTrue(Arrays.stream(timer.takeSnapshot().histogramCounts())
                .anyMatch(bucket -> bucket.bucket(TimeUnit.SECONDS) == 1.0 && bucket.count() >= 1),
                "the recent event was applied within a second");
    }

    private Optional<Timer> appliedDelays() {
        return Optional.ofNullable(metrics.find(AppliedDelays.METRIC).tag("consumer", "eventing-test").timer());
    }

    @Test
    void failingEffectIsRolledBackAndRetriedNotDropped() {
        String id = UUID.randomUUID().toString();
        TestListener.FAILURES_TO_INJECT.put(id, new AtomicInteger(2));
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(TOPIC, "k", event(id, "test.flaky"));
        }
        await().atMost(TIMEOUT).until(() -> effects(id) == 1);
        assertEquals(-1, TestListener.FAILURES_TO_INJECT.get(id).get(), "two failed attempts, then one that committed");
    }

    @Test
    void aFailureThatMayPassIsRetriedBeyondAnyAttemptLimitWhileReadinessIsDown() {
        String id = UUID.randomUUID().toString();
        // Far more than the 8 attempts (about 11 s) after which such an event used to be dead-lettered.
        TestListener.FAILURES_TO_INJECT.put(id, new AtomicInteger(60));
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(TOPIC, "k", event(id, "test.flaky"));
        }
        await().atMost(TIMEOUT).until(() -> stalls.call().getStatus() == HealthCheckResponse.Status.DOWN);
        assertTrue(stalls.call().getData().orElseThrow().keySet().stream().anyMatch(key -> key.contains(id)),
                "readiness says which event waits");
        await().atMost(TIMEOUT).until(() -> effects(id) == 1);
        assertEquals(-1, TestListener.FAILURES_TO_INJECT.get(id).get(), "sixty failed attempts, then one that committed");
        await().atMost(TIMEOUT).until(() -> stalls.call().getStatus() == HealthCheckResponse.Status.UP);
    }

    @Test
    void dataTheDatabaseCanNeverStoreIsDeadLetteredAtOnceAndCounted() {
        String refused = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        double before = deadLettered("test.?nul");
        try (TopicWriter writer = new TopicWriter(); TopicReader dlq = TopicReader.of(TOPIC + ".dlq")) {
            writer.send(TOPIC, "k", event(refused, "test.\0nul"));
            writer.send(TOPIC, "k", event(after, "test.after"));
            await().atMost(TIMEOUT).until(() -> effects(after) == 1);
            var record = dlq.drain(Duration.ofSeconds(1)).stream().filter(r -> r.value().contains(refused)).findFirst()
                    .orElseThrow(() -> new AssertionError("the refused event is not on the dead-letter topic"));
            assertEquals(TOPIC, header(record, DeadLetters.TOPIC_HEADER));
            assertEquals("eventing-test", header(record, DeadLetters.CONSUMER_HEADER));
            assertTrue(Long.parseLong(header(record, DeadLetters.OFFSET_HEADER)) >= 0);
            assertTrue(header(record, DeadLetters.REASON_HEADER).contains("0x00"), header(record, DeadLetters.REASON_HEADER));
        }
        assertEquals(0, effects(refused));
        assertEquals(before + 1, deadLettered("test.?nul"));
    }

    @Test
    void aRecordThatIsNotACloudEventIsDeadLetteredWithWhereItCameFrom() {
        String marker = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        try (TopicWriter writer = new TopicWriter(); TopicReader dlq = TopicReader.of(TOPIC + ".dlq")) {
            writer.send(TOPIC, "k", "{\"not\":\"an event\",\"marker\":\"" + marker + "\"}");
            writer.send(TOPIC, "k", event(after, "test.after"));
            await().atMost(TIMEOUT).until(() -> effects(after) == 1);
            var record = dlq.drain(Duration.ofSeconds(1)).stream().filter(r -> r.value().contains(marker)).findFirst()
                    .orElseThrow(() -> new AssertionError("the record is not on the dead-letter topic"));
            assertEquals(TOPIC, header(record, DeadLetters.TOPIC_HEADER));
            assertEquals("k", record.key());
        }
    }

    @Test
    void aDeadLetteredEventIsReplayedOnceItsCauseIsFixedAndAppliedOnce() {
        String id = UUID.randomUUID().toString();
        TestListener.REFUSED.add(id);
        try (TopicWriter writer = new TopicWriter(); TopicReader dlq = TopicReader.of(TOPIC + ".dlq")) {
            writer.send(TOPIC, id, event(id, "test.happened"));
            await().atMost(TIMEOUT).until(() -> dlq.drain(Duration.ofMillis(200)).stream()
                    .anyMatch(r -> r.value().contains(id)));
        }
        java.util.Properties admin = io.mandate.testsupport.TestInfra.kafkaAdmin();
        List<DeadLetterReplay.Replayed> listed = DeadLetterReplay.replay(admin, TOPIC + ".dlq", true, r -> { });
        assertTrue(listed.stream().anyMatch(r -> id.equals(r.key()) && TOPIC.equals(r.topic())), "a dry run lists it");
        assertEquals(0, effects(id), "a dry run puts nothing back");

        TestListener.REFUSED.remove(id);
        List<DeadLetterReplay.Replayed> replayed = DeadLetterReplay.replay(admin, TOPIC + ".dlq", false, r -> { });
        assertTrue(replayed.stream().anyMatch(r -> id.equals(r.key())));
        await().atMost(TIMEOUT).until(() -> effects(id) == 1);
        List<DeadLetterReplay.Replayed> again = DeadLetterReplay.replay(admin, TOPIC + ".dlq", false, r -> { });
        assertTrue(again.stream().noneMatch(r -> id.equals(r.key())), "a record is put back once");
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private double deadLettered(String type) {
        var counter = metrics.find(DeadLetters.METRIC).tag("consumer", "eventing-test").tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void poisonEventGoesToTheDeadLetterTopicWithItsReasonAndLeavesNoEffect() {
        String poison = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        try (TopicWriter writer = new TopicWriter(); TopicReader dlq = TopicReader.of(TOPIC + ".dlq")) {
            writer.send(TOPIC, "k", event(poison, "test.poison"));
            writer.send(TOPIC, "k", event(after, "test.after"));
            await().atMost(TIMEOUT).until(() -> effects(after) == 1);
            var record = dlq.drain(Duration.ofSeconds(1)).stream().filter(r -> r.value().contains(poison)).findFirst()
                    .orElseThrow(() -> new AssertionError("poison event not on the dead-letter topic"));
            String reason = new String(record.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
            assertTrue(reason.contains("cannot handle test.poison"), reason);
        }
        assertEquals(0, effects(poison), "the refused event's effect was rolled back");
    }

    @Test
    void idsPastTheirRetentionAreForgottenAndRecentOnesKept() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        sql.update("""
                insert into processed_event (consumer, event_id, processed_at)
                values ('test.prune', ?1, now() - interval '15 days'), ('test.prune', ?2, now() - interval '13 days')""",
                old, recent);
        assertTrue(inbox.prune() >= 1);
        List<String> left = sql.list("select event_id from processed_event where consumer = 'test.prune'",
                row -> row.string("event_id"));
        assertEquals(List.of(recent), left);
    }
}
