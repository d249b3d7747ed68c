package io.mandate.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning, the way an independent consumer would, so tests assert what
 * really went over Kafka. Not thread-safe; close it after the test.
 */
public final class TopicReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    /** Reads as the test broker's administrator, which may read every topic. */
    public TopicReader(Collection<String> topics) {
        this(TestInfra.kafkaAdmin(), topics);
    }

    /** Reads as the client {@code connection} describes ({@link TestInfra#kafkaClient}). */
    public TopicReader(Properties connection, Collection<String> topics) {
        Properties props = new Properties();
        props.putAll(connection);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(topics);
    }

    public static TopicReader of(String... topics) {
        return new TopicReader(List.of(topics));
    }

    /** Waits for the first record whose CloudEvent matches, and returns that CloudEvent. */
    public JsonNode awaitEvent(Predicate<JsonNode> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < seen.size(); checked++) {
                JsonNode event = parse(seen.get(checked).value());
                if (event != null && matches.test(event)) {
                    return event;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching event within " + timeout + "; saw " + seen.size() + " records");
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
    }

    /** Every record read so far, after polling until the topic is quiet for {@code quiet}. */
    public List<ConsumerRecord<String, String>> drain(Duration quiet) {
        while (true) {
            var records = consumer.poll(quiet);
            if (records.isEmpty()) {
                return List.copyOf(seen);
            }
            records.forEach(seen::add);
        }
    }

    public static Predicate<JsonNode> type(String type) {
        return e -> type.equals(e.path("type").asText());
    }

    public static Predicate<JsonNode> typeAndSubject(String type, String subject) {
        return type(type).and(e -> subject.equals(e.path("subject").asText()));
    }

    public static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
