package io.mandate.eventing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes an event that records no database change (e.g. {@code agent.verified} on the token hot
 * path) straight to Kafka. Anything that changes the database goes through {@link Outbox} instead.
 */
@ApplicationScoped
public class EventPublisher {

    private final EventProducer producer;
    private final Events events;
    private final EventingConfig config;

    EventPublisher(EventProducer producer, Events events, EventingConfig config) {
        this.producer = producer;
        this.events = events;
        this.config = config;
    }

    /** Returns once the broker acknowledged the event; throws {@link EventNotAcknowledgedException} otherwise. */
    public void publishAndAwait(String topic, CloudEvent event) {
        try {
            publish(topic, event).get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventNotAcknowledgedException(event.type(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EventNotAcknowledgedException(event.type(), e);
        }
    }

    public CompletableFuture<RecordMetadata> publish(String topic, CloudEvent event) {
        return producer.send(topic, event.partitionkey(), events.toJson(event));
    }
}
