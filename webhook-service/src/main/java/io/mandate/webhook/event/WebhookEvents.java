package io.mandate.webhook.event;

import io.mandate.eventing.envelope.Actor;
import io.mandate.eventing.envelope.Events;
import io.mandate.eventing.envelope.Topics;
import io.mandate.eventing.outbox.Outbox;
import io.mandate.webhook.WebhookEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/** What webhook-service publishes on {@code mandate.webhook}, through the outbox. Keyed by the endpoint. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class WebhookEvents {

    public static final String ENDPOINT_CREATED = "webhook.endpoint_created";
    public static final String ENDPOINT_DISABLED = "webhook.endpoint_disabled";
    public static final String SECRET_ROTATED = "webhook.secret_rotated";
    public static final String DELIVERY_EXHAUSTED = "webhook.delivery_exhausted";

    private final Outbox outbox;
    private final Events events;

    WebhookEvents(Outbox outbox, Events events) {
        this.outbox = outbox;
        this.events = events;
    }

    /** Carries the URL's origin only: paths and queries often hold a secret. */
    public void endpointCreated(WebhookEndpoint endpoint, Actor actor) {
        publish(ENDPOINT_CREATED, endpoint, actor,
                new EndpointCreated(endpoint.tenantId, endpoint.id, origin(endpoint.url), endpoint.events));
    }

    public void endpointDisabled(WebhookEndpoint endpoint, String reason, Actor actor) {
        publish(ENDPOINT_DISABLED, endpoint, actor, new EndpointDisabled(endpoint.tenantId, endpoint.id, reason));
    }

    public void secretRotated(WebhookEndpoint endpoint, Actor actor) {
        publish(SECRET_ROTATED, endpoint, actor,
                new SecretRotated(endpoint.tenantId, endpoint.id, endpoint.previousSecretExpiresAt));
    }

    /** Keyed by the message, like its deliveries. */
    public void deliveryExhausted(WebhookEndpoint endpoint, String messageId, String eventType, int attempts) {
        outbox.add(Topics.WEBHOOK, events.create(DELIVERY_EXHAUSTED, messageId, endpoint.tenantId, endpoint.id,
                Actor.SYSTEM, new DeliveryExhausted(endpoint.tenantId, endpoint.id, messageId, eventType, attempts)));
    }

    private void publish(String type, WebhookEndpoint endpoint, Actor actor, Object payload) {
        outbox.add(Topics.WEBHOOK, events.create(type, endpoint.id, endpoint.tenantId, endpoint.id, actor, payload));
    }

    /** {@code scheme://host[:port]} of a URL the policy accepted (absolute, no user info). */
    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    record EndpointCreated(String tenantId, String endpointId, String url, List<String> events) {
    }

    record EndpointDisabled(String tenantId, String endpointId, String reason) {
    }

    record SecretRotated(String tenantId, String endpointId, Instant previousSecretValidUntil) {
    }

    record DeliveryExhausted(String tenantId, String endpointId, String messageId, String eventType, int attempts) {
    }
}
