package io.mandate.eventing.outbox;

import io.mandate.eventing.EventingConfig;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.envelope.Events;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
        long timeout = config.publishTimeout().toNanos();
        long sent = System.nanoTime();
        publish(topic, event).orTimeout(timeout, TimeUnit.NANOSECONDS)
                .whenComplete((metadata, error) -> {
                    // An acknowledgement that beat the timer but came after the timeout is late too.
                    Throwable failure = error != null ? error : System.nanoTime() - sent > timeout
                            ? new TimeoutException("acknowledged after the publish timeout") : null;
                    if (failure == null) {
                        acknowledged.complete(null);
                    } else {
                        acknowledged.completeExceptionally(new EventNotAcknowledgedException(event.type(),
                                failure instanceof CompletionException ? failure.getCause() : failure));
                    }
                });
        return acknowledged;
    }

    public CompletableFuture<RecordMetadata> publish(String topic, CloudEvent event) {
        return producer.send(topic, event.partitionkey(), events.toJson(event));
    }
}
