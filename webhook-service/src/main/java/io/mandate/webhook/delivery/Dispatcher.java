package io.mandate.webhook.delivery;

import io.mandate.eventing.loop.WakeableLoop;
import io.mandate.webhook.config.WebhookConfig;
import io.mandate.webhook.repository.DeliveryQueue;
import io.mandate.webhook.service.WebhookEndpoints;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Delivers queued messages signed per Standard Webhooks. A loop claims due messages (a new message
 * wakes it at once; otherwise it polls for due retries) and hands them to {@code workers} threads,
 * never more than {@code per-endpoint-concurrency} at once to one endpoint, so a slow receiver
 * holds only its own share.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final int EXCERPT_BYTES = 1024;
    private static final int RECORD_BATCH = 200;
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final DeliveryQueue queue;
    private final Outcomes outcomes;
    private final WebhookEndpoints endpoints;
    private final UrlPolicy urls;
    private final WebhookConfig config;
    private final HttpClient http;
    private final WakeableLoop loop;
    /** The longest a receiver's {@code Retry-After} defers a retry. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    private final ExecutorService workers;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlightByTenant = new ConcurrentHashMap<>();
    private final AtomicInteger inFlightTotal = new AtomicInteger();
    /** Attempts made, waiting to be recorded; one thread records them in batches, one commit each. */
    private final BlockingQueue<Outcomes.Result> results = new LinkedBlockingQueue<>();
    private final Thread recorder;
    private volatile boolean running = true;

    Dispatcher(DeliveryQueue queue, Outcomes outcomes, WebhookEndpoints endpoints, UrlPolicy urls,
            WebhookConfig config, Vertx vertx) {
        this.queue = queue;
        this.outcomes = outcomes;
        this.endpoints = endpoints;
        this.urls = urls;
        this.config = config;
        // Vert.x's client on the event loop: kept-alive HTTP/1.1 connections (receivers are not asked to
        // upgrade to h2c), as many per receiver as there are workers. The JDK HttpClient cost about a
        // third of this service's CPU per delivery.
        this.http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1)
                .setConnectTimeout((int) config.deliveryTimeout().toMillis()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(config.workers()));
        // Up to config.workers() threads while there is work; an idle one ends after a minute.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(config.workers(), config.workers(), 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "webhook-delivery");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        this.loop = new WakeableLoop("webhook-dispatcher", config.pollInterval(), this::claimAndDispatch);
        this.recorder = new Thread(this::recordResults, "webhook-recorder");
    }

    void start(@Observes StartupEvent startup) {
        recorder.start();
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        loop.stop();
        workers.shutdown();
        workers.awaitTermination(config.deliveryTimeout().toSeconds() + 1, TimeUnit.SECONDS);
        running = false;
        recorder.join(5_000);
        http.close();
    }

    /**
     * Records what the workers did, up to {@value #RECORD_BATCH} attempts per transaction. An attempt
     * made but not recorded when the process dies is made again once its lease runs out (the receiver
     * sees the same {@code webhook-id} twice, which Standard Webhooks receivers deduplicate).
     */
    private void recordResults() {
        List<Outcomes.Result> batch = new ArrayList<>(RECORD_BATCH);
        while (running || !results.isEmpty()) {
            try {
                Outcomes.Result first = results.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                results.drainTo(batch, RECORD_BATCH - 1);
                outcomes.recordAll(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("recording %d webhook attempts failed; they are retried when their lease ends: %s",
                        batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    /** The non-zero counts of {@code counters}. */
    private static Map<String, Integer> busy(Map<String, AtomicInteger> counters) {
        Map<String, Integer> busy = new HashMap<>();
        counters.forEach((key, count) -> {
            if (count.get() > 0) {
                busy.put(key, count.get());
            }
        });
        return busy;
    }

    /** Called after a commit that queued messages. */
    public void wake() {
        loop.wake();
    }

    /** Claims as many due messages as there are free workers; true if there may be more right away. */
    private boolean claimAndDispatch() {
        int free = config.workers() - inFlightTotal.get();
        if (free <= 0) {
            return false;
        }
        List<DeliveryQueue.Claimed> due = queue.claimDue(free, LEASE, config.perEndpointConcurrency(), busy(inFlight),
                config.perTenantConcurrency(), busy(inFlightByTenant));
        for (DeliveryQueue.Claimed message : due) {
            inFlight.computeIfAbsent(message.endpointId(), id -> new AtomicInteger()).incrementAndGet();
            inFlightByTenant.computeIfAbsent(message.tenantId(), id -> new AtomicInteger()).incrementAndGet();
            inFlightTotal.incrementAndGet();
            workers.execute(() -> {
                try {
                    deliver(message);
                } finally {
                    inFlight.get(message.endpointId()).decrementAndGet();
                    inFlightByTenant.get(message.tenantId()).decrementAndGet();
                    inFlightTotal.decrementAndGet();
                    loop.wake();
                }
            });
        }
        return due.size() == free;
    }

    void deliver(DeliveryQueue.Claimed message) {
        if (!message.endpointActive()) {
            results.add(new Outcomes.Result(message, null));
            return;
        }
        long started = System.nanoTime();
        Integer code = null;
        String error = null;
        String excerpt = null;
        Duration retryAfter = null;
        try {
            URI target = URI.create(message.url());
            InetAddress address = urls.reachableAddress(target.getHost())
                    .orElseThrow(() -> new IllegalStateException("target resolves to a forbidden address"));
            int port = target.getPort() != -1 ? target.getPort()
                    : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
            long timestamp = Instant.now().getEpochSecond();
            // Connects to the address just checked (Host header, SNI and certificate check still use the
            // URL's host), so DNS cannot point the connection elsewhere after the check.
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.toString())
                    .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setFollowRedirects(false).setIdleTimeout(config.deliveryTimeout().toMillis())
                    .putHeader("content-type", "application/json")
                    .putHeader("user-agent", "Mandate-Webhooks/1")
                    .putHeader("webhook-id", message.id())
                    .putHeader("webhook-timestamp", Long.toString(timestamp))
                    .putHeader("webhook-signature", signatures(message, timestamp));
            // read() is attached to the response future as it is created, on the event loop: it then runs
            // before the body arrives (attached later, a short answer can be over by then).
            Reply reply = http.request(request)
                    .compose(sending -> sending.send(Buffer.buffer(message.payload())).compose(Dispatcher::read))
                    .toCompletionStage().toCompletableFuture()
                    .get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
            code = reply.status();
            excerpt = reply.excerpt();
            retryAfter = retryAfter(reply.retryAfter(), Instant.now());
        } catch (ExecutionException e) {
            error = describe(e.getCause());
        } catch (TimeoutException e) {
            error = "no answer within " + config.deliveryTimeout().toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = describe(e);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        results.add(new Outcomes.Result(message, new Outcomes.Attempt(code, durationMs, error, excerpt, retryAfter)));
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** {@code v1,<sig>}, and while a rotated-out secret is still live, a second one made with it. */
    private String signatures(DeliveryQueue.Claimed message, long timestamp) {
        String current = WebhookSignature.sign(endpoints.openSecret(message.endpointId(), message.sealedSecret()),
                message.id(), timestamp, message.payload());
        if (message.previousSealedSecret() == null || message.previousSecretExpiresAt() == null
                || !message.previousSecretExpiresAt().isAfter(Instant.now())) {
            return current;
        }
        return current + " " + WebhookSignature.sign(endpoints.openSecret(message.endpointId(),
                message.previousSealedSecret()), message.id(), timestamp, message.payload());
    }

    /** What a receiver answered: its status, at most 1 KiB of its body, its {@code Retry-After}. */
    private record Reply(int status, String excerpt, String retryAfter) {
    }

    /** Reads at most 1 KiB of the body; past that the connection is dropped and the rest never read. */
    private static Future<Reply> readHead(HttpClientResponse response) {
        Promise<Reply> reply = Promise.promise();
        Buffer head = Buffer.buffer();
        Runnable answered = () -> reply.tryComplete(new Reply(response.statusCode(),
                head.length() == 0 ? null : head.toString(StandardCharsets.UTF_8), response.getHeader("retry-after")));
        response.handler(chunk -> {
            int room = EXCERPT_BYTES - head.length();
            if (room > 0) {
                head.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
            }
            if (head.length() >= EXCERPT_BYTES && !reply.future().isComplete()) {
                answered.run();
                response.request().reset();
            }
        });
        response.exceptionHandler(reply::tryFail);
        response.endHandler(end -> answered.run());
        return reply.future();
    }

    /** {@link #readHead}, or, if the answer is already over (Vert.x refuses handlers then), its status alone. */
    private static Future<Reply> read(HttpClientResponse response) {
        try {
            return readHead(response);
        } catch (IllegalStateException alreadyEnded) {
            return Future.succeededFuture(new Reply(response.statusCode(), null, response.getHeader("retry-after")));
        }
    }

    /**
     * A receiver's {@code Retry-After} (RFC 9110 §10.2.3: seconds or an HTTP-date), at most
     * {@link #MAX_RETRY_AFTER}: a receiver may slow its own retries, not push them past any date the
     * queue can hold. Null when absent or unreadable.
     */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        Duration wait;
        if (value.chars().allMatch(Character::isDigit)) {
            wait = value.length() > 9 ? MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(value));
        } else {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeException e) {
                return null;
            }
        }
        return wait.isNegative() ? Duration.ZERO : wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }
}
