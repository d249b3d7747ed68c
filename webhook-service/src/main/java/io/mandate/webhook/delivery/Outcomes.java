package io.mandate.webhook.delivery;

import io.mandate.eventing.envelope.Actor;
import io.mandate.webhook.WebhookEndpoint;
import io.mandate.webhook.config.WebhookConfig;
import io.mandate.webhook.event.WebhookEvents;
import io.mandate.webhook.repository.DeliveryQueue;
import io.mandate.webhook.repository.WebhookEndpointRepository;
import io.mandate.webhook.service.WebhookEndpoints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * What an attempt leads to, decided and stored in one transaction with the events it causes: only a
 * 2xx delivers; 410 disables the endpoint; anything else is retried on the schedule ({@code
 * Retry-After} honoured) until it runs out ({@code webhook.delivery_exhausted}); an endpoint whose
 * every attempt failed for {@code disable-after-failing-for} is disabled.
 */
@ApplicationScoped
public class Outcomes {

    private final DeliveryQueue queue;
    private final WebhookEndpointRepository endpoints;
    private final WebhookEndpoints endpointService;
    private final WebhookEvents events;
    private final WebhookConfig config;

    Outcomes(DeliveryQueue queue, WebhookEndpointRepository endpoints, WebhookEndpoints endpointService,
            WebhookEvents events, WebhookConfig config) {
        this.queue = queue;
        this.endpoints = endpoints;
        this.endpointService = endpointService;
        this.events = events;
        this.config = config;
    }

    /** One attempt: the receiver's status code (null if none), or the error that prevented one. */
    public record Attempt(Integer code, long durationMs, String error, String excerpt, Duration retryAfter) {

        boolean succeeded() {
            return code != null && code >= 200 && code < 300;
        }
    }

    /** One attempt's message and what happened. */
    public record Result(DeliveryQueue.Claimed message, Attempt attempt) {
    }

    /**
     * Records a batch of attempts in one transaction (one commit for many deliveries): the successes,
     * usually nearly all of them, in one statement; the rest one by one.
     */
    @Transactional
    public void recordAll(List<Result> results) {
        endpoints.lock(results.stream().map(result -> result.message().endpointId()).collect(Collectors.toSet()));
        Map<Boolean, List<Result>> delivered = results.stream().collect(Collectors.partitioningBy(
                result -> result.message().endpointActive() && result.attempt().succeeded()));
        queue.recordDelivered(delivered.get(true).stream()
                .map(result -> new DeliveryQueue.Delivered(result.message().id(), result.message().endpointId(),
                        result.attempt().code(), result.attempt().durationMs(), result.attempt().excerpt()))
                .toList());
        delivered.get(false).forEach(result -> recordFailure(result.message(), result.attempt()));
    }

    /** An attempt that did not deliver: why, and what follows. */
    private void recordFailure(DeliveryQueue.Claimed message, Attempt attempt) {
        WebhookEndpoint endpoint = endpoints.find(message.endpointId()).orElseThrow();
        Instant now = Instant.now();
        if (!message.endpointActive()) {
            queue.recordAttempt(message.id(), null, 0, "endpoint disabled", null, "failed", null);
            return;
        }
        if (attempt.code() != null && attempt.code() == 410) {
            queue.recordAttempt(message.id(), 410, attempt.durationMs(), "410 Gone: endpoint disabled", attempt.excerpt(),
                    "failed", null);
            endpointService.disable(endpoint, "the receiver answered 410 Gone", Actor.SYSTEM);
            return;
        }
        if (endpoint.failingSince == null) {
            endpoint.failingSince = now;
            endpoints.save(endpoint);
        } else if (endpoint.failingSince.isBefore(now.minus(config.disableAfterFailingFor()))) {
            endpointService.disable(endpoint, "every delivery failed since " + endpoint.failingSince, Actor.SYSTEM);
        }
        List<Duration> schedule = config.retrySchedule();
        if (!endpoint.active || endpoint.deletedAt != null) {
            // Disabled or deleted while this attempt was in flight: no retry.
            queue.recordAttempt(message.id(), attempt.code(), attempt.durationMs(), attempt.error(), attempt.excerpt(),
                    "failed", null);
            return;
        }
        if (message.attempts() >= schedule.size()) {
            queue.recordAttempt(message.id(), attempt.code(), attempt.durationMs(), attempt.error(), attempt.excerpt(),
                    "failed", null);
            events.deliveryExhausted(endpoint, message.id(), message.eventType(), message.attempts() + 1);
            return;
        }
        queue.recordAttempt(message.id(), attempt.code(), attempt.durationMs(), attempt.error(), attempt.excerpt(),
                "pending", now.plus(withJitter(schedule.get(message.attempts()), attempt.retryAfter())));
    }

    /** The scheduled delay ±20 %, but never sooner than the receiver's {@code Retry-After}. */
    static Duration withJitter(Duration scheduled, Duration retryAfter) {
        double factor = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        Duration jittered = Duration.ofMillis((long) (scheduled.toMillis() * factor));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }
}
