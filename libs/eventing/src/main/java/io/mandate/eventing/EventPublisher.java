package io.mandate.eventing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
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
            publishAcknowledged(topic, event).join();
        } catch (CompletionException e) {
            throw (EventNotAcknowledgedException) e.getCause();
        }
    }

    /**
     * Completes once the broker acknowledged the event, or fails with {@link EventNotAcknowledgedException}
     * (also when the publish timeout passes first). Never blocks the caller.
     */
    public CompletableFuture<Void> publishAcknowledged(String topic, CloudEvent event) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        publish(topic, event).orTimeout(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((metadata, error) -> {
                    if (error == null) {
                        acknowledged.complete(null);
                    } else {
                        acknowledged.completeExceptionally(new EventNotAcknowledgedException(event.type(),
                                error instanceof CompletionException ? error.getCause() : error));
                    }
                });
        return acknowledged;
    }

    public CompletableFuture<RecordMetadata> publish(String topic, CloudEvent event) {
        return producer.send(topic, event.partitionkey(), events.toJson(event));
    }
}
