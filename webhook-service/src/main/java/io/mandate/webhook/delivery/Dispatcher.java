package io.mandate.webhook.delivery;

import io.mandate.eventing.Actor;
import io.mandate.eventing.WakeableLoop;
import io.mandate.webhook.config.WebhookConfig;
import io.mandate.webhook.repository.DeliveryQueue;
import io.mandate.webhook.service.WebhookEndpointService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers queued messages signed per Standard Webhooks, retrying on the configured schedule. A new
 * message wakes it at once; otherwise it polls for due retries.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final int BATCH = 50;

    private final DeliveryQueue queue;
    private final WebhookEndpointService endpointService;
    private final UrlPolicy urls;
    private final WebhookConfig config;
    private final HttpClient http;
    private final WakeableLoop loop;

    Dispatcher(DeliveryQueue queue, WebhookEndpointService endpointService, UrlPolicy urls, WebhookConfig config) {
        this.queue = queue;
        this.endpointService = endpointService;
        this.urls = urls;
        this.config = config;
        // HTTP/1.1: receivers should not be asked to upgrade to h2c.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.deliveryTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.loop = new WakeableLoop("webhook-dispatcher", config.pollInterval(), this::deliverDue);
    }

    void start(@Observes StartupEvent startup) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        loop.stop();
    }

    /** Called after a commit that queued messages. */
    public void wake() {
        loop.wake();
    }

    private boolean deliverDue() {
        List<DeliveryQueue.Claimed> due = queue.claimDue(BATCH, LEASE);
        due.forEach(this::deliver);
        return due.size() == BATCH;
    }

    void deliver(DeliveryQueue.Claimed message) {
        if (!message.endpointActive()) {
            queue.recordAttempt(message.id(), null, 0, "endpoint disabled", "failed", null);
            return;
        }
        long started = System.nanoTime();
        Integer code = null;
        String error = null;
        Duration retryAfter = null;
        try {
            URI target = URI.create(message.url());
            for (InetAddress address : InetAddress.getAllByName(target.getHost())) {
                if (urls.forbidden(address)) {
                    throw new IllegalStateException("target resolves to a forbidden address");
                }
            }
            long timestamp = Instant.now().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(target).timeout(config.deliveryTimeout())
                    .header("content-type", "application/json")
                    .header("user-agent", "Mandate-Webhooks/1")
                    .header("webhook-id", message.id())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature",
                            WebhookSignature.sign(endpointService.openSecret(message.endpointId(), message.sealedSecret()),
                                    message.id(), timestamp, message.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(message.payload())).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            code = response.statusCode();
            retryAfter = response.headers().firstValue("retry-after").map(Dispatcher::seconds).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        if (code != null && code >= 200 && code < 300) {
            queue.recordAttempt(message.id(), code, durationMs, null, "delivered", null);
        } else if (code != null && code == 410) {
            queue.recordAttempt(message.id(), code, durationMs, "410 Gone: endpoint disabled", "failed", null);
            endpointService.disable(message.endpointId(), "the receiver answered 410 Gone", Actor.SYSTEM);
        } else {
            List<Duration> schedule = config.retrySchedule();
            int attempt = message.attempts();
            if (attempt >= schedule.size()) {
                queue.recordAttempt(message.id(), code, durationMs, error, "failed", null);
            } else {
                queue.recordAttempt(message.id(), code, durationMs, error, "pending",
                        Instant.now().plus(withJitter(schedule.get(attempt), retryAfter)));
            }
        }
    }

    /** The scheduled delay ±20 %, but never sooner than the receiver's {@code Retry-After}. */
    static Duration withJitter(Duration scheduled, Duration retryAfter) {
        double factor = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        Duration jittered = Duration.ofMillis((long) (scheduled.toMillis() * factor));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }

    private static Duration seconds(String header) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
