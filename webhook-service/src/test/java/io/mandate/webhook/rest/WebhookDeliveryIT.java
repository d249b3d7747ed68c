package io.mandate.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class WebhookDeliveryIT {

    private static final String ADMIN = "Bearer test-admin-token";

    record Received(Map<String, List<String>> headers, String body) {
    }

    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** The receiver answers 503 once to the first delivery whose body contains this marker. */
    final AtomicReference<String> failOnceFor = new AtomicReference<>();

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), text));
            String marker = failOnceFor.get();
            boolean fail = marker != null && text.contains(marker) && failOnceFor.compareAndSet(marker, null);
            exchange.sendResponseHeaders(fail ? 503 : 204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    static String verifiedEvent(String agentId) {
        return TestEvents.from("token-service", "agent.verified").subject(agentId).time("2026-11-22T10:00:00Z")
                .tenant("ten_default").partitionKey(agentId)
                .data(Map.of("tenant_id", "ten_default", "agent_id", agentId, "grant_type", "client_credentials")).json();
    }

    private String createEndpoint(List<String> events) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", hookUrl(), "events", events)).post("/v1/webhooks").then().statusCode(201)
                .body("secret", matchesPattern("whsec_[A-Za-z0-9+/=]+")).extract().path("secret");
    }

    /** The JDK server capitalises header names; Standard Webhooks looks them up in lower case. */
    static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new java.util.HashMap<>();
        headers.forEach((name, values) -> lower.put(name.toLowerCase(java.util.Locale.ROOT), values));
        return lower;
    }

    private List<Received> deliveriesFor(String agentId) {
        return received.stream().filter(r -> r.body().contains(agentId)).toList();
    }

    @Test
    void subscribedEventArrivesSignedPerStandardWebhooks() throws Exception {
        String secret = createEndpoint(List.of("agent.verified"));
        String agentId = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.TOKEN, agentId, verifiedEvent(agentId));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> !deliveriesFor(agentId).isEmpty());
        Received delivery = deliveriesFor(agentId).get(0);
        Map<String, List<String>> headers = lowerCase(delivery.headers());
        new Webhook(secret).verify(delivery.body(), headers); // throws if the signature is wrong
        assertEquals("verified", NodeReceiver.verify(secret, headers, delivery.body()));
        assertTrue(NodeReceiver.verify(secret, headers, delivery.body().replace(agentId, "agt_forged"))
                .startsWith("exit 1: refused"), "the npm library refuses a changed body");
        assertTrue(headers.get("webhook-id").get(0).startsWith("msg_"));
        JsonNode body = TopicReader.parse(delivery.body());
        assertEquals("agent.verified", body.path("type").asText());
        assertEquals(agentId, body.path("data").path("agent_id").asText());
    }

    @Test
    void failedDeliveryIsRetriedAndTheReceiverGetsItOnceItRecovers() {
        createEndpoint(List.of("*"));
        String agentId = TypeIds.newId("agt");
        failOnceFor.set(agentId);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.TOKEN, agentId, verifiedEvent(agentId));
        }
        // The test profile shortens the first retry to 200 ms.
        await().atMost(Duration.ofSeconds(15)).until(() -> deliveriesFor(agentId).size() >= 2);
        List<Received> attempts = deliveriesFor(agentId);
        String firstId = lowerCase(attempts.get(0).headers()).get("webhook-id").get(0);
        assertEquals(firstId, lowerCase(attempts.get(1).headers()).get("webhook-id").get(0), "a retry keeps its message id");
    }

    @Test
    void endpointsAreListedReadAndChangedWithoutTheirSecret() {
        String id = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", hookUrl(), "events", List.of("agent.verified"), "description", "crm"))
                .post("/v1/webhooks").then().statusCode(201).extract().path("id");
        given().header("Authorization", ADMIN).get("/v1/webhooks/" + id).then().statusCode(200)
                .body("url", equalTo(hookUrl())).body("description", equalTo("crm")).body("$", not(hasKey("secret")));
        given().header("Authorization", ADMIN).get("/v1/webhooks").then().statusCode(200)
                .body("items.id", hasItem(id)).body("items.findAll { it.secret != null }", hasSize(0));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("events", List.of("agent.revoked", "agent.suspended"), "active", false))
                .patch("/v1/webhooks/" + id).then().statusCode(200)
                .body("events", contains("agent.revoked", "agent.suspended")).body("active", equalTo(false))
                .body("url", equalTo(hookUrl()));
        try (TopicReader webhookEvents = TopicReader.of(Topics.WEBHOOK)) {
            JsonNode disabled = webhookEvents.awaitEvent(TopicReader.typeAndSubject("webhook.endpoint_disabled", id),
                    Duration.ofSeconds(15));
            assertEquals("disabled through the API", disabled.path("data").path("reason").asText());
        }
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", "http://169.254.169.254/"))
                .patch("/v1/webhooks/" + id).then().statusCode(403).body("code", equalTo("webhook_url_forbidden"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("events", List.of("nope")))
                .patch("/v1/webhooks/" + id).then().statusCode(400).body("errors.field", hasItem("events"));
        given().header("Authorization", ADMIN).get("/v1/webhooks/" + id).then()
                .body("url", equalTo(hookUrl())).body("events", contains("agent.revoked", "agent.suspended"));
        given().header("Authorization", ADMIN).get("/v1/webhooks/whk_nope").then().statusCode(404)
                .body("code", equalTo("webhook_not_found"));
    }

    @Test
    void aRetriedCreationWithTheSameIdempotencyKeyMakesOneEndpointAndShowsTheSecretOnce() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("url", hookUrl(), "events", List.of("agent.revoked"));
        String id = given().header("Authorization", ADMIN).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).post("/v1/webhooks").then().statusCode(201).body("secret", notNullValue())
                .extract().path("id");
        given().header("Authorization", ADMIN).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).post("/v1/webhooks").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("id", equalTo(id)).body("secret", nullValue());
        given().header("Authorization", ADMIN).get("/v1/webhooks").then().statusCode(200)
                .body("items.findAll { it.id == '" + id + "' }.size()", equalTo(1));
        given().header("Authorization", ADMIN).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("url", hookUrl(), "events", List.of("agent.suspended"))).post("/v1/webhooks").then()
                .statusCode(422).body("code", equalTo("idempotency_key_reused"));
        // Keys are the tenant's own: another tenant's admin with the same key makes its own endpoint.
        String theirs = human("ten_idem" + TypeIds.randomToken(5).toLowerCase(), "tenant_admin");
        given().header("Authorization", theirs).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).post("/v1/webhooks").then().statusCode(201).body("id", not(equalTo(id)));
    }

    private static String human(String tenantId, String role) {
        return "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(TypeIds.newId("usr"),
                Map.of("tenant_id", tenantId, "roles", List.of(role), "email", "h@example.com"), Duration.ofMinutes(5));
    }

    @Test
    void onlyTenantAdminsManageAndOnlyTheirTenantsEndpoints() {
        String mine = human("ten_default", "tenant_admin");
        String id = given().header("Authorization", mine).contentType(ContentType.JSON)
                .body(Map.of("url", hookUrl(), "events", List.of("agent.verified"))).post("/v1/webhooks").then()
                .statusCode(201).extract().path("id");
        given().header("Authorization", mine).get("/v1/webhooks/" + id).then().statusCode(200);
        for (String role : List.of("auditor", "owner")) {
            given().header("Authorization", human("ten_default", role)).get("/v1/webhooks").then().statusCode(403);
        }
        String theirs = human("ten_other", "tenant_admin");
        given().header("Authorization", theirs).get("/v1/webhooks/" + id).then().statusCode(404);
        given().header("Authorization", theirs).contentType(ContentType.JSON).body(Map.of("active", false))
                .patch("/v1/webhooks/" + id).then().statusCode(404);
        given().header("Authorization", theirs).get("/v1/webhooks").then().statusCode(200)
                .body("items.id", not(hasItem(id)));
        String auditor = human("ten_default", "auditor");
        for (String[] call : List.of(new String[] {"POST", "/rotate-secret"}, new String[] {"POST", "/test"},
                new String[] {"GET", "/messages"}, new String[] {"GET", "/attempts"},
                new String[] {"POST", "/messages/msg_x/redeliver"}, new String[] {"DELETE", ""})) {
            given().header("Authorization", theirs).request(call[0], "/v1/webhooks/" + id + call[1]).then()
                    .statusCode(404);
            given().header("Authorization", auditor).request(call[0], "/v1/webhooks/" + id + call[1]).then()
                    .statusCode(403);
        }
        given().header("Authorization", theirs).contentType(ContentType.JSON).body(Map.of("since", "2026-11-22T00:00:00Z"))
                .post("/v1/webhooks/" + id + "/recover").then().statusCode(404);
        given().header("Authorization", mine).get("/v1/webhooks/" + id).then().statusCode(200)
                .body("active", equalTo(true));
        given().get("/v1/webhooks").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void badEndpointsAreRefused() {
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", "http://169.254.169.254/latest/meta-data", "events", List.of("agent.verified")))
                .post("/v1/webhooks").then().statusCode(403).body("code", equalTo("webhook_url_forbidden"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", "ftp://example.com/x", "events", List.of("agent.verified")))
                .post("/v1/webhooks").then().statusCode(400).body("errors.field", hasItem("url"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", hookUrl(), "events", List.of("agent.exploded")))
                .post("/v1/webhooks").then().statusCode(400).body("errors.field", hasItem("events"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", hookUrl(), "events", List.of()))
                .post("/v1/webhooks").then().statusCode(400).body("code", equalTo("validation_failed"));
        given().contentType(ContentType.JSON).body(Map.of("url", hookUrl(), "events", List.of("*")))
                .post("/v1/webhooks").then().statusCode(401);
        int before = given().header("Authorization", ADMIN).get("/v1/webhooks").then().extract().path("items.size()");
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", hookUrl(), "events", List.of("*"), "description", "x".repeat(501)))
                .post("/v1/webhooks").then().statusCode(400).body("errors.field", hasItem("description"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", "not a url", "events", List.of("*"))).post("/v1/webhooks").then().statusCode(400)
                .body("errors.field", hasItem("url"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"url\":")
                .post("/v1/webhooks").then().statusCode(400).body("code", equalTo("invalid_json"));
        given().header("Authorization", ADMIN).get("/v1/webhooks").then().body("items.size()", equalTo(before));
    }
}
