package io.mandate.webhook.service;

import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.eventing.Actor;
import io.mandate.eventing.Events;
import io.mandate.eventing.Outbox;
import io.mandate.eventing.Topics;
import io.mandate.sealing.SecretSealer;
import io.mandate.webhook.WebhookEndpoint;
import io.mandate.webhook.config.WebhookConfig;
import io.mandate.webhook.delivery.UrlPolicy;
import io.mandate.webhook.delivery.WebhookSignature;
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

/** Creates webhook endpoints and opens their secrets for signing. */
@ApplicationScoped
public class WebhookEndpointService {

    public static final String ENDPOINT_CREATED = "webhook.endpoint_created";
    public static final String ENDPOINT_DISABLED = "webhook.endpoint_disabled";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookEndpointRepository endpoints;
    private final UrlPolicy urls;
    private final SecretSealer sealer;
    private final Events events;
    private final Outbox outbox;

    WebhookEndpointService(WebhookEndpointRepository endpoints, UrlPolicy urls, WebhookConfig config, Events events,
            Outbox outbox) {
        this.endpoints = endpoints;
        this.urls = urls;
        this.sealer = SecretSealer.fromBase64(config.secretEncryptionKey());
        this.events = events;
        this.outbox = outbox;
    }

    /** A new endpoint and its signing secret, which is returned here only. */
    public record Created(WebhookEndpoint endpoint, String secret) {
    }

    record EndpointCreated(String tenantId, String endpointId, String url, List<String> events) {
    }

    record EndpointDisabled(String tenantId, String endpointId, String reason) {
    }

    @Transactional
    public Created create(String tenantId, String url, List<String> eventTypes, String description, Actor actor) {
        urls.check(url);
        checkEventTypes(eventTypes);
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        String secret = WebhookSignature.SECRET_PREFIX + Base64.getEncoder().encodeToString(key);

        WebhookEndpoint endpoint = new WebhookEndpoint();
        endpoint.id = TypeIds.newId("whk");
        endpoint.tenantId = tenantId;
        endpoint.url = url;
        endpoint.events = List.copyOf(new LinkedHashSet<>(eventTypes));
        endpoint.description = description;
        endpoint.secret = sealer.seal(secret.getBytes(StandardCharsets.UTF_8), endpoint.id);
        endpoint.active = true;
        endpoint.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        endpoints.persist(endpoint);
        endpoints.flush();

        outbox.add(Topics.WEBHOOK, events.create(ENDPOINT_CREATED, endpoint.id, tenantId, endpoint.id, actor,
                new EndpointCreated(tenantId, endpoint.id, url, endpoint.events)));
        return new Created(endpoint, secret);
    }

    /** Changes to an endpoint; null leaves a field as it is. */
    public record Changes(String url, List<String> events, String description, Boolean active) {
    }

    public List<WebhookEndpoint> list(String tenantId) {
        return endpoints.list("tenantId = ?1 order by createdAt desc, id desc", tenantId);
    }

    public WebhookEndpoint find(String tenantId, String endpointId) {
        return endpoints.find("id = ?1 and tenantId = ?2", endpointId, tenantId).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("webhook_not_found", "no webhook " + endpointId + " in this tenant"));
    }

    @Transactional
    public WebhookEndpoint update(String tenantId, String endpointId, Changes changes, Actor actor) {
        WebhookEndpoint endpoint = find(tenantId, endpointId);
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
        return endpoint;
    }

    /** Stops deliveries to an endpoint (the receiver answered 410 Gone, say) and announces it once. */
    @Transactional
    public void disable(String endpointId, String reason, Actor actor) {
        WebhookEndpoint endpoint = endpoints.findById(endpointId);
        if (endpoint != null) {
            disable(endpoint, reason, actor);
        }
    }

    private void disable(WebhookEndpoint endpoint, String reason, Actor actor) {
        if (!endpoint.active) {
            return;
        }
        endpoint.active = false;
        outbox.add(Topics.WEBHOOK, events.create(ENDPOINT_DISABLED, endpoint.id, endpoint.tenantId, endpoint.id, actor,
                new EndpointDisabled(endpoint.tenantId, endpoint.id, reason)));
    }

    private static void checkEventTypes(List<String> eventTypes) {
        for (String type : eventTypes) {
            if (!type.equals("*") && !EventTypes.ALL.contains(type)) {
                throw ProblemException.invalid("events", "unknown event type '" + type + "'; see GET /v1/webhooks/event-types");
            }
        }
    }

    /** The endpoint's {@code whsec_} secret, opened for signing; it never leaves the process. */
    public String openSecret(String endpointId, byte[] sealedSecret) {
        return new String(sealer.open(sealedSecret, endpointId), StandardCharsets.UTF_8);
    }
}
