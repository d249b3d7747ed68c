package io.mandate.webhook.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Actor;
import io.mandate.sealing.SecretSealer;
import io.mandate.webhook.WebhookEndpoint;
import io.mandate.webhook.config.WebhookConfig;
import io.mandate.webhook.delivery.UrlPolicy;
import io.mandate.webhook.delivery.WebhookSignature;
import io.mandate.webhook.event.WebhookEvents;
import io.mandate.webhook.repository.DeliveryQueue;
import io.mandate.webhook.repository.WebhookEndpointRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;

/** Webhook endpoints: create, change, rotate secrets, delete, replay; opens their secrets for signing. */
@ApplicationScoped
public class WebhookEndpoints {

    /** Sent by {@code POST /v1/webhooks/{id}/test} whatever the endpoint subscribed to. */
    public static final String TEST_EVENT = "webhook.test";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookEndpointRepository endpoints;
    private final UrlPolicy urls;
    private final SecretSealer sealer;
    private final WebhookEvents events;
    private final DeliveryQueue queue;
    private final WebhookConfig config;
    private final IdempotencyKeys idempotencyKeys;

    WebhookEndpoints(WebhookEndpointRepository endpoints, UrlPolicy urls, WebhookConfig config,
            WebhookEvents events, DeliveryQueue queue, IdempotencyKeys idempotencyKeys) {
        this.endpoints = endpoints;
        this.idempotencyKeys = idempotencyKeys;
        this.urls = urls;
        this.sealer = SecretSealer.fromBase64(config.secretEncryptionKey());
        this.events = events;
        this.queue = queue;
        this.config = config;
    }

    /** A new endpoint and its signing secret, which is returned here only (null on a replay). */
    public record Created(WebhookEndpoint endpoint, String secret) {
    }

    /**
     * A new endpoint and its signing secret (shown only here). With an {@code idempotencyKey}, a repeat
     * of the request returns the endpoint it made, without the secret.
     */
    @Transactional
    public IdempotencyKeys.Outcome<Created> create(String tenantId, String url, List<String> eventTypes,
            String description, String idempotencyKey, Actor actor) {
        urls.check(url);
        checkEventTypes(eventTypes);
        String id = TypeIds.newId("whk");
        return idempotencyKeys.once(tenantId, idempotencyKey, "POST /v1/webhooks " + url + " " + eventTypes + " "
                + description, id, existing -> new Created(find(tenantId, existing), null),
                () -> create(tenantId, id, url, eventTypes, description, actor));
    }

    private Created create(String tenantId, String id, String url, List<String> eventTypes, String description,
            Actor actor) {
        WebhookEndpoint endpoint = new WebhookEndpoint();
        endpoint.id = id;
        String secret = newSecret();
        endpoint.tenantId = tenantId;
        endpoint.url = url;
        endpoint.events = List.copyOf(new LinkedHashSet<>(eventTypes));
        endpoint.description = description;
        endpoint.secret = sealer.seal(secret.getBytes(StandardCharsets.UTF_8), endpoint.id);
        endpoint.active = true;
        endpoint.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        endpoints.insert(endpoint);

        events.endpointCreated(endpoint, actor);
        return new Created(endpoint, secret);
    }

    /** Changes to an endpoint; null leaves a field as it is. */
    public record Changes(String url, List<String> events, String description, Boolean active) {
    }

    public List<WebhookEndpoint> list(String tenantId) {
        return endpoints.listLive(tenantId);
    }

    public WebhookEndpoint find(String tenantId, String endpointId) {
        return find(tenantId, endpointId, false);
    }

    /**
     * The endpoint, its row locked until the transaction ends: taken before its messages are touched
     * (see {@link WebhookEndpointRepository#lock}).
     */
    private WebhookEndpoint findForUpdate(String tenantId, String endpointId) {
        return find(tenantId, endpointId, true);
    }

    private WebhookEndpoint find(String tenantId, String endpointId, boolean forUpdate) {
        return endpoints.findLive(tenantId, endpointId, forUpdate)
                .orElseThrow(() -> ProblemException.notFound("webhook_not_found", "no webhook " + endpointId + " in this tenant"));
    }

    @Transactional
    public WebhookEndpoint update(String tenantId, String endpointId, Changes changes, Actor actor) {
        WebhookEndpoint endpoint = findForUpdate(tenantId, endpointId);
        if (changes.url() != null) {
            urls.check(changes.url());
            endpoint.url = changes.url();
        }
        if (changes.events() != null) {
            checkEventTypes(changes.events());
            endpoint.events = List.copyOf(new LinkedHashSet<>(changes.events()));
        }
        if (changes.description() != null) {
            endpoint.description = changes.description();
        }
        if (Boolean.FALSE.equals(changes.active())) {
            disable(endpoint, "disabled through the API", actor);
        } else if (Boolean.TRUE.equals(changes.active())) {
            endpoint.active = true;
        }
        endpoints.save(endpoint);
        return endpoint;
    }

    /** Deletes the endpoint: gone from the API, nothing more is delivered to it. */
    @Transactional
    public void delete(String tenantId, String endpointId, Actor actor) {
        WebhookEndpoint endpoint = findForUpdate(tenantId, endpointId);
        disable(endpoint, "deleted through the API", actor);
        endpoint.deletedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        endpoints.save(endpoint);
    }

    /**
     * A new secret; the previous one keeps signing beside it for {@code secret-rotation-overlap}
     * (24 h), so receivers can switch without losing a message. Returned here only.
     */
    @Transactional
    public String rotateSecret(String tenantId, String endpointId, Actor actor) {
        WebhookEndpoint endpoint = findForUpdate(tenantId, endpointId);
        String secret = newSecret();
        endpoint.previousSecret = endpoint.secret;
        endpoint.previousSecretExpiresAt = Instant.now().plus(config.secretRotationOverlap()).truncatedTo(ChronoUnit.MICROS);
        endpoint.secret = sealer.seal(secret.getBytes(StandardCharsets.UTF_8), endpoint.id);
        endpoints.save(endpoint);
        events.secretRotated(endpoint, actor);
        return secret;
    }

    /** Queues a {@value #TEST_EVENT} message for the endpoint; its id. */
    @Transactional
    public String sendTest(String tenantId, String endpointId) {
        WebhookEndpoint endpoint = find(tenantId, endpointId);
        String messageId = TypeIds.newId("msg");
        String payload = "{\"type\":\"" + TEST_EVENT + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"data\":{\"tenant_id\":\"" + tenantId + "\",\"endpoint_id\":\"" + endpoint.id + "\"}}";
        queue.enqueue(List.of(messageId), List.of(endpoint.id), "test-" + messageId, TEST_EVENT, payload);
        return messageId;
    }

    /** Sends one message again from a fresh retry schedule. */
    @Transactional
    public void redeliver(String tenantId, String endpointId, String messageId) {
        WebhookEndpoint endpoint = findForUpdate(tenantId, endpointId);
        if (!queue.redeliver(endpoint.id, messageId)) {
            throw ProblemException.notFound("message_not_found", "no message " + messageId + " for webhook " + endpointId);
        }
    }

    /** Sends again every failed message since {@code since} (at most {@code recover-window} ago); how many. */
    @Transactional
    public int recover(String tenantId, String endpointId, Instant since) {
        WebhookEndpoint endpoint = findForUpdate(tenantId, endpointId);
        if (since.isBefore(Instant.now().minus(config.recoverWindow()))) {
            throw ProblemException.invalid("since", "at most " + config.recoverWindow().toDays() + " days ago");
        }
        return queue.recover(endpoint.id, since);
    }

    private String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return WebhookSignature.SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Stops deliveries to the endpoint and announces it once. */
    public void disable(WebhookEndpoint endpoint, String reason, Actor actor) {
        if (!endpoint.active) {
            return;
        }
        endpoint.active = false;
        endpoints.save(endpoint);
        queue.cancelPending(endpoint.id);
        events.endpointDisabled(endpoint, reason, actor);
    }

    /** Exact names from the catalogue, prefixes that match at least one ({@code agent.*}), or {@code *}. */
    private static void checkEventTypes(List<String> eventTypes) {
        for (String type : eventTypes) {
            if (EventTypes.ALL.stream().noneMatch(known -> WebhookEndpoint.matches(type, known))) {
                throw ProblemException.invalid("events", "unknown event type '" + type + "'; see GET /v1/webhooks/event-types");
            }
        }
    }

    /** The endpoint's {@code whsec_} secret, opened for signing; it never leaves the process. */
    public String openSecret(String endpointId, byte[] sealedSecret) {
        return new String(sealer.open(sealedSecret, endpointId), StandardCharsets.UTF_8);
    }
}
