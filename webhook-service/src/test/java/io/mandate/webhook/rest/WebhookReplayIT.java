package io.mandate.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestInfra;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries, attempt log, replay, rotation, test events, patterns, deletion, health-based disabling
 * and per-endpoint concurrency, against real receivers. Each test works in a tenant of its own.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class WebhookReplayIT {

    private static final String ADMIN = "Bearer test-admin-token";
    private static final Duration WAIT = Duration.ofSeconds(20);

    record Received(Instant at, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.get(name).get(0);
        }
    }

    /** One scripted answer: status, optional Retry-After / Location; {@code held}: wait for {@link #gate}. */
    record Answer(int status, String retryAfter, String location, boolean held) {

        static Answer of(int status) {
            return new Answer(status, null, null, false);
        }
    }

    /** Held answers wait until the test opens this. */
    final CountDownLatch gate = new CountDownLatch(1);

    HttpServer receiver;
    final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    final Map<String, Answer> otherwise = new ConcurrentHashMap<>();
    final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> concurrent = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> maxConcurrent = new ConcurrentHashMap<>();
    String tenant;

    @BeforeEach
    void start() throws IOException {
        tenant = "ten_" + TypeIds.randomToken(10);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(32));
        receiver.createContext("/r/", this::answer);
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestURI().getPath().substring(3);
        AtomicInteger now = concurrent.computeIfAbsent(key, k -> new AtomicInteger());
        maxConcurrent.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now.incrementAndGet(), Math::max);
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
            Deque<Answer> script = scripts.get(key);
            Answer answer;
            synchronized (this) {
                answer = script != null && !script.isEmpty() ? script.poll() : otherwise.getOrDefault(key, Answer.of(200));
            }
            if (answer.held() && !gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
            received.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(new Received(Instant.now(), headers, body));
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            if (answer.location() != null) {
                exchange.getResponseHeaders().add("Location", answer.location());
            }
            if (key.equals("quiet")) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            byte[] reply = key.equals("chatty") ? "x".repeat(100_000).getBytes(StandardCharsets.UTF_8)
                    : ("answer " + answer.status() + " from " + key).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), reply.length);
            exchange.getResponseBody().write(reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            now.decrementAndGet();
            exchange.close();
        }
    }

    private RequestSpecification admin() {
        return given().header("Authorization", ADMIN).header("Mandate-Tenant", tenant);
    }

    /** An endpoint for receiver {@code key}: {@code [id, secret]}. */
    private String[] endpoint(String key, List<String> events) {
        var created = admin().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/r/" + key, "events", events))
                .post("/v1/webhooks").then().statusCode(201).extract();
        return new String[] {created.path("id"), created.path("secret")};
    }

    private List<Received> at(String key) {
        return received.getOrDefault(key, List.of());
    }

    private List<Received> at(String key, String agentId) {
        return at(key).stream().filter(r -> r.body().contains(agentId)).toList();
    }

    /** Publishes {@code type} about a new agent in this test's tenant; the agent id. */
    private String publish(String type) {
        String agentId = TypeIds.newId("agt");
        String topic = type.startsWith("agent.verified") || type.startsWith("token.") ? Topics.TOKEN : Topics.IDENTITY;
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(topic, agentId, TestEvents.withSource(Topics.ownerSource(topic).orElseThrow(), type)
                    .subject(agentId).time("2026-11-22T10:00:00Z").tenant(tenant).partitionKey(agentId)
                    .data(Map.of("tenant_id", tenant, "agent_id", agentId)).json());
        }
        return agentId;
    }

    private void script(String key, Answer... answers) {
        scripts.put(key, new ArrayDeque<>(List.of(answers)));
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheFourthAttemptWithTheSameIdAndEveryAttemptIsLogged() {
        String id = endpoint("flaky", List.of("agent.verified"))[0];
        script("flaky", Answer.of(500), Answer.of(500), Answer.of(500));
        String agentId = publish("agent.verified");
        await().atMost(WAIT).until(() -> at("flaky", agentId).size() == 4);
        List<String> ids = at("flaky", agentId).stream().map(r -> r.header("webhook-id")).distinct().toList();
        assertEquals(1, ids.size(), "every attempt carries the same webhook-id");
        String messageId = ids.get(0);
        await().atMost(WAIT).until(() -> "delivered".equals(admin().get("/v1/webhooks/" + id + "/messages")
                .then().extract().path("items[0].status")));
        admin().get("/v1/webhooks/" + id + "/messages?status=delivered").then().statusCode(200)
                .body("items.id", contains(messageId)).body("items[0].attempts", equalTo(4));
        admin().get("/v1/webhooks/" + id + "/messages/" + messageId + "/attempts").then().statusCode(200)
                .body("items.response_code", contains(200, 500, 500, 500))
                .body("items[1].response_excerpt", equalTo("answer 500 from flaky"));
        admin().get("/v1/webhooks/" + id + "/attempts?limit=2").then().statusCode(200)
                .body("items.size()", equalTo(2)).body("next_cursor", not(equalTo(null)));
        admin().get("/v1/webhooks/" + id + "/messages?status=lost").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void retryAfterIsHonoured() {
        endpoint("busy", List.of("agent.verified"));
        script("busy", new Answer(503, "2", null, false));
        String agentId = publish("agent.verified");
        await().atMost(WAIT).until(() -> at("busy", agentId).size() == 2);
        Duration gap = Duration.between(at("busy", agentId).get(0).at(), at("busy", agentId).get(1).at());
        assertTrue(gap.toMillis() >= 1900, "the retry waited for Retry-After (2 s), not the 200 ms schedule: " + gap);
    }

    @Test
    void exhaustedMessagesAreAnnouncedAndCanBeRedeliveredAndRecovered() {
        String id = endpoint("down", List.of("agent.verified"))[0];
        otherwise.put("down", Answer.of(500));
        String first;
        try (TopicReader webhookEvents = TopicReader.of(Topics.WEBHOOK)) {
            first = publish("agent.verified");
            publish("agent.verified");
            await().atMost(WAIT).until(() -> admin().get("/v1/webhooks/" + id + "/messages?status=failed").then()
                    .extract().<List<?>>path("items").size() == 2);
            JsonNode exhausted = webhookEvents.awaitEvent(e -> "webhook.delivery_exhausted".equals(e.path("type").asText())
                    && id.equals(e.path("data").path("endpoint_id").asText()), WAIT);
            assertEquals(4, exhausted.path("data").path("attempts").asInt());
        }
        otherwise.put("down", Answer.of(200));
        String firstMessage = at("down", first).get(0).header("webhook-id");
        admin().post("/v1/webhooks/" + id + "/messages/" + firstMessage + "/redeliver").then().statusCode(202);
        await().atMost(WAIT).until(() -> at("down", first).size() == 5);
        admin().contentType(ContentType.JSON).body(Map.of("since", Instant.now().minus(Duration.ofHours(1)).toString()))
                .post("/v1/webhooks/" + id + "/recover").then().statusCode(202).body("messages", equalTo(1));
        await().atMost(WAIT).until(() -> admin().get("/v1/webhooks/" + id + "/messages?status=delivered").then()
                .extract().<List<?>>path("items").size() == 2);
        admin().contentType(ContentType.JSON).body(Map.of("since", Instant.now().minus(Duration.ofDays(20)).toString()))
                .post("/v1/webhooks/" + id + "/recover").then().statusCode(400).body("errors[0].field", equalTo("since"));
        admin().post("/v1/webhooks/" + id + "/messages/msg_nope/redeliver").then().statusCode(404);
    }

    @Test
    void aRotatedSecretSignsBesideTheNewOneUntilTheOverlapEnds() throws Exception {
        String[] endpoint = endpoint("rotating", List.of("agent.verified"));
        String oldSecret = endpoint[1];
        String newSecret;
        try (TopicReader webhookEvents = TopicReader.of(Topics.WEBHOOK)) {
            newSecret = admin().post("/v1/webhooks/" + endpoint[0] + "/rotate-secret").then().statusCode(200)
                    .header("Cache-Control", "no-store").extract().path("secret");
            webhookEvents.awaitEvent(TopicReader.typeAndSubject("webhook.secret_rotated", endpoint[0]), WAIT);
        }
        assertNotEquals(oldSecret, newSecret);
        String during = publish("agent.verified");
        await().atMost(WAIT).until(() -> at("rotating", during).size() == 1);
        Received overlap = at("rotating", during).get(0);
        assertEquals(2, overlap.header("webhook-signature").split(" ").length);
        new Webhook(oldSecret).verify(overlap.body(), overlap.headers());
        new Webhook(newSecret).verify(overlap.body(), overlap.headers());
        // The test profile's overlap is 3 s; after it only the new secret signs.
        String[] after = new String[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            after[0] = publish("agent.verified");
            await().atMost(WAIT).until(() -> at("rotating", after[0]).size() == 1);
            return at("rotating", after[0]).get(0).header("webhook-signature").split(" ").length == 1;
        });
        Received late = at("rotating", after[0]).get(0);
        new Webhook(newSecret).verify(late.body(), late.headers());
        assertThrows(WebhookVerificationException.class, () -> new Webhook(oldSecret).verify(late.body(), late.headers()));
    }

    @Test
    void patternsTestEventsAndDeletion() {
        String agents = endpoint("agents", List.of("agent.*"))[0];
        endpoint("tokens", List.of("token.*"));
        endpoint("all", List.of("*"));
        String agentId = publish("agent.verified");
        await().atMost(WAIT).until(() -> at("all", agentId).size() == 1 && at("agents", agentId).size() == 1);
        assertEquals(0, at("tokens", agentId).size(), "token.* does not match agent.verified");

        String messageId = admin().post("/v1/webhooks/" + agents + "/test").then().statusCode(202)
                .extract().path("message_id");
        await().atMost(WAIT).until(() -> at("agents").stream().anyMatch(r -> r.body().contains("\"webhook.test\"")));
        Received test = at("agents").stream().filter(r -> r.body().contains("\"webhook.test\"")).findFirst().orElseThrow();
        assertEquals(messageId, test.header("webhook-id"));
        assertEquals(0, at("all").stream().filter(r -> r.body().contains("\"webhook.test\"")).count());

        admin().delete("/v1/webhooks/" + agents).then().statusCode(204);
        admin().get("/v1/webhooks/" + agents).then().statusCode(404);
        admin().get("/v1/webhooks").then().body("items.id", not(hasItem(agents)));
        admin().delete("/v1/webhooks/" + agents).then().statusCode(404);
        String later = publish("agent.suspended");
        await().atMost(WAIT).until(() -> at("all", later).size() == 1);
        assertEquals(0, at("agents", later).size(), "a deleted endpoint gets nothing");
        admin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:1/x", "events", List.of("nope.*")))
                .post("/v1/webhooks").then().statusCode(400).body("errors[0].field", equalTo("events"));
        admin().get("/v1/webhooks/event-types").then().statusCode(200)
                .body("items.size()", equalTo(43))
                .body("items.find { it.type == 'agent.verified' }.example.data.tenant_id", not(equalTo(null)))
                .body("items.type", hasItems("consent.granted", "consent.revoked", "human.login_failed", "permission.added", "permission.updated", "resource.registered"))
                .body("items.findAll { it.description == null || it.example.type != it.type }.size()", equalTo(0));
    }

    @Test
    void anEndpointFailingForFiveDaysIsDisabled() throws Exception {
        String id = endpoint("dead", List.of("agent.verified"))[0];
        otherwise.put("dead", Answer.of(500));
        try (var connection = TestInfra.asAdmin("mandate_webhook");
                var update = connection.prepareStatement(
                        "update webhook_endpoint set failing_since = now() - interval '6 days' where id = ?")) {
            update.setString(1, id);
            assertEquals(1, update.executeUpdate());
        }
        try (TopicReader webhookEvents = TopicReader.of(Topics.WEBHOOK)) {
            publish("agent.verified");
            JsonNode disabled = webhookEvents.awaitEvent(
                    TopicReader.typeAndSubject("webhook.endpoint_disabled", id), WAIT);
            assertTrue(disabled.path("data").path("reason").asText().startsWith("every delivery failed since"));
        }
        admin().get("/v1/webhooks/" + id).then().body("active", equalTo(false));
    }

    @Test
    void aSlowReceiverDoesNotHoldUpTheOthers() {
        endpoint("slow", List.of("agent.verified"));
        endpoint("fast", List.of("agent.verified"));
        otherwise.put("slow", new Answer(200, null, null, true));
        for (int i = 0; i < 24; i++) {
            publish("agent.verified");
        }
        // The slow receiver holds every request until the gate opens: the fast one must not wait for it.
        await().atMost(WAIT).until(() -> at("fast").size() == 24
                && maxConcurrent.containsKey("slow") && maxConcurrent.get("slow").get() == 8);
        assertEquals(0, at("slow").size(), "the fast receiver got everything while the slow one held its requests");
        gate.countDown();
        await().atMost(WAIT).until(() -> at("slow").size() == 24);
        int peak = maxConcurrent.get("slow").get();
        assertTrue(peak == 8, "exactly per-endpoint-concurrency (8) deliveries at once to one endpoint: " + peak);
    }

    @Test
    void redirectsAreNotFollowed() {
        String id = endpoint("redirect", List.of("agent.verified"))[0];
        otherwise.put("redirect", new Answer(302, null, "http://169.254.169.254/latest/meta-data", false));
        publish("agent.verified");
        await().atMost(WAIT).until(() -> {
            List<Integer> codes = admin().get("/v1/webhooks/" + id + "/attempts").then().extract()
                    .path("items.response_code");
            return !codes.isEmpty() && codes.stream().allMatch(code -> code == 302);
        });
    }

    @Test
    void manyQuickAnswersAreEachOneDeliveryRecordedAsDelivered() {
        String id = endpoint("quiet", List.of("agent.verified"))[0];
        try (TopicWriter writer = new TopicWriter()) {
            for (int i = 0; i < 400; i++) {
                String agentId = TypeIds.newId("agt");
                writer.send(Topics.TOKEN, agentId, TestEvents.from("token-service", "agent.verified").subject(agentId)
                        .time("2026-11-22T10:00:00Z").tenant(tenant).partitionKey(agentId)
                        .data(Map.of("tenant_id", tenant, "agent_id", agentId)).json());
            }
        }
        await().atMost(WAIT).until(() -> at("quiet").size() >= 400);
        await().atMost(WAIT).until(() -> admin().get("/v1/webhooks/" + id + "/messages?status=delivered&limit=500")
                .then().extract().<List<?>>path("items").size() == 400);
        assertEquals(400, at("quiet").stream().map(r -> r.header("webhook-id")).distinct().count());
        assertEquals(400, at("quiet").size(), "no message was sent twice");
        admin().get("/v1/webhooks/" + id + "/attempts?limit=500").then().statusCode(200)
                .body("items.size()", equalTo(400)).body("items.response_code", everyItem(equalTo(204)));
    }

    @Test
    void ofALongAnswerOnlyTheFirstKibibyteIsRead() {
        String id = endpoint("chatty", List.of("agent.verified"))[0];
        publish("agent.verified");
        await().atMost(WAIT).until(() -> !admin().get("/v1/webhooks/" + id + "/attempts").then().extract()
                .<List<?>>path("items").isEmpty());
        admin().get("/v1/webhooks/" + id + "/attempts").then().statusCode(200)
                .body("items[0].response_code", equalTo(200))
                .body("items[0].response_excerpt.length()", equalTo(1024));
    }

    @Test
    void aReceiverWhoseCertificateIsNotTrustedGetsNothing() throws Exception {
        Path keystore = Files.createTempFile("receiver", ".p12");
        Files.delete(keystore);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer selfSigned = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        selfSigned.setHttpsConfigurator(new HttpsConfigurator(tls));
        selfSigned.createContext("/r/", this::answer);
        selfSigned.start();
        try {
            String id = admin().contentType(ContentType.JSON)
                    .body(Map.of("url", "https://127.0.0.1:" + selfSigned.getAddress().getPort() + "/r/tls",
                            "events", List.of("agent.verified")))
                    .post("/v1/webhooks").then().statusCode(201).extract().path("id");
            publish("agent.verified");
            await().atMost(WAIT).until(() -> !admin().get("/v1/webhooks/" + id + "/attempts").then().extract()
                    .<List<?>>path("items").isEmpty());
            admin().get("/v1/webhooks/" + id + "/attempts").then().statusCode(200)
                    .body("items[0].response_code", nullValue())
                    .body("items[0].error", notNullValue());
            assertEquals(List.of(), at("tls"), "nothing reached a receiver the service could not authenticate");
        } finally {
            selfSigned.stop(0);
            Files.deleteIfExists(keystore);
        }
    }
}
