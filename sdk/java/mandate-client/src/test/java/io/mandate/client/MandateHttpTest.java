package io.mandate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries and typed errors against a local HTTP server that answers from a script: a narrow test of the client's
 * own rules (the real token endpoint's 429 and errors: e2e JavaLibrariesIT).
 */
class MandateHttpTest {

    private record Answer(int status, String retryAfter, String contentType, String body) {
    }

    private HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Long> arrivals = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            synchronized (arrivals) {
                arrivals.add(System.nanoTime());
            }
            Answer answer = script.isEmpty() ? new Answer(200, null, "application/json", "{\"ok\":true}") : script.poll();
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> send(RetryPolicy policy, boolean repeatable) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x");
        return new MandateHttp(HttpClient.newHttpClient(), policy, Clock.systemUTC())
                .send(() -> HttpRequest.newBuilder(uri).GET().build(), repeatable);
    }

    @Test
    void a503IsRetriedAfterWhatRetryAfterSays() {
        script.add(new Answer(503, "1", "text/plain", "busy"));
        HttpResponse<String> response = send(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofSeconds(5)), false);
        assertEquals(200, response.statusCode());
        assertEquals(2, arrivals.size());
        long waitedMillis = (arrivals.get(1) - arrivals.get(0)) / 1_000_000;
        assertTrue(waitedMillis >= 1000, "waited only " + waitedMillis + " ms");
    }

    @Test
    void a500IsRetriedOnlyWhenTheRequestMayBeRepeated() {
        script.add(new Answer(500, null, "application/json", "{\"error\":\"server_error\"}"));
        assertEquals(500, send(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofSeconds(1)), false).statusCode());
        script.add(new Answer(500, null, "application/json", "{\"error\":\"server_error\"}"));
        assertEquals(200, send(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofSeconds(1)), true).statusCode());
        assertEquals(3, arrivals.size());
    }

    @Test
    void attemptsRunOutAndTheLastAnswerStands() {
        for (int i = 0; i < 3; i++) {
            script.add(new Answer(502, null, "text/html", "<html>bad gateway</html>"));
        }
        HttpResponse<String> response = send(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(20)), true);
        assertEquals(502, response.statusCode());
        assertEquals(3, arrivals.size());
        MandateException error = MandateHttp.defaults().failure(response);
        assertEquals("http_502", error.error());
    }

    @Test
    void aRetryAfterLongerThanTheLimitIsNotWaitedFor() {
        script.add(new Answer(429, "120", "application/json", "{\"error\":\"rate_limited\",\"error_description\":\"slow\"}"));
        HttpResponse<String> response = send(new RetryPolicy(4, Duration.ofMillis(1), Duration.ofSeconds(2)), true);
        assertEquals(1, arrivals.size());
        MandateException error = MandateHttp.defaults().failure(response);
        OAuthErrorException oauth = assertInstanceOf(OAuthErrorException.class, error);
        assertEquals("rate_limited", oauth.error());
        assertEquals(Duration.ofSeconds(120), oauth.retryAfter().orElseThrow());
        assertEquals("429 rate_limited: slow", oauth.getMessage());
    }

    @Test
    void problemJsonBecomesAnApiProblemWithItsCode() {
        script.add(new Answer(404, null, "application/problem+json",
                "{\"type\":\"https://mandate.dev/problems/agent-not-found\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"no agent agt_x\",\"code\":\"agent_not_found\"}"));
        HttpResponse<String> response = send(RetryPolicy.none(), true);
        ApiProblemException problem = assertInstanceOf(ApiProblemException.class, MandateHttp.defaults().failure(response));
        assertEquals(404, problem.status());
        assertEquals("agent_not_found", problem.error());
        assertEquals("no agent agt_x", problem.description());
    }

    @Test
    void nobodyListeningIsUnreachableAfterTheRetries() {
        int port = server.getAddress().getPort();
        server.stop(0);
        URI uri = URI.create("http://127.0.0.1:" + port + "/x");
        MandateException error = assertThrows(MandateException.class, () -> new MandateHttp(HttpClient.newHttpClient(),
                new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5)), Clock.systemUTC())
                .send(() -> HttpRequest.newBuilder(uri).GET().build(), true));
        assertEquals(0, error.status());
        assertEquals("unreachable", error.error());
    }

    @Test
    void retryAfterReadsSecondsAndDates() {
        Clock clock = Clock.fixed(java.time.Instant.parse("2026-12-05T10:00:00Z"), java.time.ZoneOffset.UTC);
        assertEquals(Duration.ofSeconds(7), RetryPolicy.parseRetryAfter("7", clock));
        assertEquals(Duration.ofSeconds(30), RetryPolicy.parseRetryAfter("Sat, 05 Dec 2026 10:00:30 GMT", clock));
        assertEquals(null, RetryPolicy.parseRetryAfter("soon", clock));
        assertEquals(null, RetryPolicy.parseRetryAfter("-1", clock));
    }

    @Test
    void backoffGrowsWithJitterWithinTheCeiling() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(800));
        for (int attempt = 1; attempt < 10; attempt++) {
            long ceiling = Math.min(800, 100L << (attempt - 1));
            long wait = policy.delayAfter(attempt, null).orElseThrow().toMillis();
            assertTrue(wait >= 0 && wait <= ceiling, "attempt " + attempt + " waited " + wait);
        }
        assertTrue(policy.delayAfter(10, null).isEmpty(), "no attempt after the last");
        assertTrue(policy.delayAfter(1, Duration.ofMillis(500)).orElseThrow().toMillis() >= 500,
                "Retry-After is a floor under the jitter");
    }
}
