package io.mandate.webhook.listener;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mandate.api.TypeIds;
import io.mandate.auth.KnownHumans;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.inbox.Inbox;
import io.mandate.webhook.delivery.Dispatcher;
import io.mandate.webhook.repository.DeliveryQueue;
import io.mandate.webhook.repository.WebhookEndpointRepository;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Queues a message for every active endpoint that subscribed to an event's type, in the same
 * transaction as the inbox entry, then wakes the dispatcher.
 */
@ApplicationScoped
public class PublicEventsListener {

    public static final String CHANNEL = "public-events";
    private static final String CONSUMER = "webhook-service.fanout";

    private final Inbox inbox;
    private final WebhookEndpointRepository endpoints;
    private final DeliveryQueue queue;
    private final Dispatcher dispatcher;
    private final ObjectMapper mapper;
    private final KnownHumans knownHumans;

    PublicEventsListener(Inbox inbox, WebhookEndpointRepository endpoints, DeliveryQueue queue, Dispatcher dispatcher,
            ObjectMapper mapper, KnownHumans knownHumans) {
        this.inbox = inbox;
        this.endpoints = endpoints;
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.mapper = mapper;
        this.knownHumans = knownHumans;
    }

    /** The records of a poll are fanned out in one transaction ({@link Inbox#processBatch}); then the dispatcher wakes. */
    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> onEvents(KafkaRecordBatch<String, String> batch) {
        CompletionStage<Void> acknowledged = inbox.processBatch(CONSUMER, batch, events -> events.forEach(this::fanOut));
        dispatcher.wake();
        return acknowledged;
    }

    private void fanOut(CloudEvent event) {
        if (event.tenantid() == null) {
            return;
        }
        knownHumans.apply(event.type(), event.data());
        List<String> subscribers = endpoints.subscribers(event.tenantid(), event.type());
        if (!subscribers.isEmpty()) {
            List<String> messageIds = subscribers.stream().map(endpoint -> TypeIds.newId("msg")).toList();
            queue.enqueue(messageIds, subscribers, event.id(), event.type(), body(event));
        }
    }

    /** Standard Webhooks body: {@code {type, timestamp, data}}. */
    private String body(CloudEvent event) {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", event.type());
        body.put("timestamp", event.time());
        body.set("data", event.data());
        return body.toString();
    }
}
