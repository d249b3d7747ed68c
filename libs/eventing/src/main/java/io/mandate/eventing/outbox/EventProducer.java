package io.mandate.eventing.outbox;

import io.mandate.eventing.KafkaClients;
import io.mandate.eventing.envelope.CloudEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one Kafka producer of a service: idempotent, {@code acks=all}, so records of one key keep their
 * order and an acknowledged record is on every in-sync replica.
 */
@ApplicationScoped
public class EventProducer {

    private static final String CONTENT_TYPE_HEADER = "content-type";

    private final KafkaProducer<String, String> producer;

    EventProducer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Properties props = KafkaClients.connection(kafkaConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        // send() runs on an event loop too (token-service's token path). Without metadata or with the
        // buffer full (Kafka unreachable for a while) it fails the send after 1 s instead of
        // holding the thread for the default 60 s; callers retry (outbox) or answer 503.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "mandate-events");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Sends one CloudEvents JSON document; completes when the broker acknowledged it. */
    public CompletableFuture<RecordMetadata> send(String topic, String key, String cloudEventJson) {
        return send(topic, key, cloudEventJson, null);
    }

    /** Sends one record with its content type ({@code null}: a CloudEvents JSON document). */
    public CompletableFuture<RecordMetadata> send(String topic, String key, String payload, String contentType) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, payload);
        record.headers().add(CONTENT_TYPE_HEADER,
                (contentType == null ? CloudEvent.CONTENT_TYPE : contentType).getBytes(StandardCharsets.UTF_8));
        return send(record);
    }

    /** Sends a record as it is, headers included; completes when the broker acknowledged it. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                acked.completeExceptionally(error);
            } else {
                acked.complete(metadata);
            }
        });
        return acked;
    }

    /**
     * Waits until the broker acknowledged every one of {@code acks} (sends of one batch), at most 30 s.
     *
     * @throws IllegalStateException naming {@code what} when one failed or the time ran out
     */
    public static void awaitAll(List<CompletableFuture<?>> acks, String what) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka to acknowledge " + what, e);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
