package io.mandate.eventing.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.mandate.eventing.envelope.Actor;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.envelope.Events;
import io.mandate.sql.Sql;
import io.mandate.testsupport.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboxRelayIT {

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    Events events;

    @Inject
    Sql sql;

    @BeforeEach
    void emptyOutbox() throws Exception {
        while (relay.relayOnce() > 0) {
            // drain what earlier tests left
        }
    }

    private List<String> addEvents(String topic, String key, int count) {
        List<String> ids = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < count; i++) {
                CloudEvent event = events.create("test.numbered", key, "ten_t", key, Actor.SYSTEM,
                        JsonNodeFactory.instance.objectNode().put("tenant_id", "ten_t").put("n", i));
                outbox.add(topic, event);
                ids.add(event.id());
            }
        });
        return ids;
    }

    private long outboxRows() {
        return sql.count("select count(*) from outbox_event");
    }

    private static List<String> idsOn(String topic, int atLeast) {
        try (TopicReader reader = TopicReader.of(topic)) {
            List<String> ids = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ids.size() < atLeast && System.nanoTime() < deadline) {
                ids.clear();
                for (ConsumerRecord<String, String> r : reader.drain(Duration.ofMillis(500))) {
                    ids.add(TopicReader.parse(r.value()).path("id").asText());
                }
            }
            return ids;
        }
    }

    @Test
    void relayKilledMidBatchLosesNothingAndKeepsTheKeyOrder() throws Exception {
        String topic = "mandate.test.outbox." + UUID.randomUUID();
        List<String> ids = addEvents(topic, "agt_one", 10);

        // Sends 4 of 10 and dies before its delete commits.
        relay.relayBatch(4, false);
        assertEquals(10, outboxRows(), "nothing leaves the outbox without a committed acknowledgement");

        assertEquals(10, relay.relayOnce());
        assertEquals(0, outboxRows());

        List<String> published = idsOn(topic, 14);
        assertEquals(14, published.size(), "4 re-sent (at least once) + 10");
        assertEquals(ids, List.copyOf(new LinkedHashSet<>(published.subList(4, 14))), "every event, in commit order");
        assertEquals(ids.subList(0, 4), published.subList(0, 4));
    }

    @Test
    void rolledBackBusinessTransactionPublishesNothing() {
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.add("mandate.test.rollback", events.create("test.never", "x", "ten_t", "x", Actor.SYSTEM,
                    JsonNodeFactory.instance.objectNode()));
            throw new IllegalStateException("the business change failed");
        }));
        assertEquals(0, outboxRows());
    }

    @Test
    void addOutsideATransactionIsRefused() {
        CloudEvent event = events.create("test.orphan", "x", "ten_t", "x", Actor.SYSTEM, JsonNodeFactory.instance.objectNode());
        assertThrows(jakarta.transaction.TransactionalException.class, () -> outbox.add("mandate.test.orphan", event));
    }
}
