package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.delegation;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.register;
import static io.mandate.e2e.Platform.token;
import static io.mandate.e2e.Platform.traces;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.e2e.OtlpReceiver.ExportedSpan;
import io.mandate.e2e.Platform.Agent;
import io.mandate.testsupport.TopicReader;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One trace across HTTP and Kafka: a caller's {@code traceparent} reaches the service it calls, the
 * events that service writes carry it in their CloudEvents {@code traceparent}, and every consumer
 * continues it, including into the events a consumer writes in turn. Spans are exported over OTLP to a
 * receiver standing in for a collector.
 */
class TracingIT {

    private static final int SERVER = 2;
    private static final int CONSUMER = 5;

    @BeforeAll
    static void platform() throws Exception {
        Platform.start();
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** A caller's trace: a new trace id, and the id of the caller's own span. */
    private record CallerTrace(String traceId, String spanId) {
        static CallerTrace random() {
            return new CallerTrace(randomHex(16), randomHex(8));
        }

        String header() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }

    /** The trace and span ids of an event's {@code traceparent}. */
    private static String[] traceparentOf(JsonNode event) {
        String traceparent = event.path("traceparent").asText();
        assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), "traceparent " + traceparent);
        return traceparent.split("-");
    }

    /** Registers an agent with this {@code traceparent} header; its {@code agent.registered} event. */
    private static JsonNode registerAgent(String traceparent) {
        Response registered = given().baseUri(identity.url()).header("Authorization", ADMIN)
                .header("traceparent", traceparent).contentType(ContentType.JSON)
                .body(Map.of("name", "traced-agent", "owner_email", "owner@example.com",
                        "permissions", List.of("crm:contacts:read")))
                .post("/v1/agents");
        registered.then().statusCode(201);
        String agentId = registered.path("agent.id");
        try (TopicReader identityTopic = TopicReader.of("mandate.identity")) {
            return identityTopic.awaitEvent(e -> "agent.registered".equals(e.path("type").asText())
                    && agentId.equals(e.path("subject").asText()), EVENT_TIMEOUT);
        }
    }

    private static ExportedSpan awaitSpan(String description, Predicate<ExportedSpan> matches) {
        return await(description).atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> traces.spans().stream().filter(matches).findFirst(), Optional::isPresent).get();
    }

    @Test
    void aCallersTraceGoesThroughTheServiceIntoItsEventsAndOnThroughEveryConsumer() {
        CallerTrace caller = CallerTrace.random();
        // The event carries the caller's trace, produced in identity-service's span for the request.
        String[] traceparent = traceparentOf(registerAgent(caller.header()));
        assertEquals(caller.traceId(), traceparent[1]);
        String requestSpan = traceparent[2];
        assertNotEquals(caller.spanId(), requestSpan);

        ExportedSpan server = awaitSpan("identity-service's span for the request",
                s -> requestSpan.equals(s.spanId()));
        assertEquals("identity-service", server.service());
        assertEquals(caller.traceId(), server.traceId());
        assertEquals(caller.spanId(), server.parentSpanId());
        assertEquals(SERVER, server.kind());

        // Each consumer of mandate.identity continues the trace: a child span of the request's, or (applied
        // in a batch with other events) a span that links to it.
        for (String consumer : List.of("token-service", "delegation-service", "audit-service")) {
            ExportedSpan processed = awaitSpan(consumer + " applying agent.registered", s -> consumer.equals(s.service())
                    && "process mandate.identity".equals(s.name())
                    && (requestSpan.equals(s.parentSpanId()) || s.linkedSpanIds().contains(requestSpan)));
            assertEquals(CONSUMER, processed.kind(), consumer);
            if (requestSpan.equals(processed.parentSpanId())) {
                assertEquals(caller.traceId(), processed.traceId(), consumer);
            }
        }
        // The Kafka connector's own spans (a new trace per record read) would only be noise beside these.
        assertEquals(List.of(), traces.spans().stream().map(ExportedSpan::name).filter(name -> name.endsWith(" receive"))
                .distinct().toList());
    }

    @Test
    void aConsumerCarriesTheTraceIntoTheEventsItWrites() {
        String username = "traced-lender-" + Long.toString(System.nanoTime(), 36);
        String password = "correct horse battery staple";
        given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("username", username, "email", username + "@example.com", "password", password,
                        "roles", List.of("owner"), "permissions", List.of("crm:*:*")))
                .post("/v1/users").then().statusCode(201);
        String owner = "Bearer " + await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(token.url()).contentType(ContentType.JSON)
                        .body(Map.of("username", username, "password", password)).post("/v1/auth/login"),
                        r -> r.statusCode() == 200).<String>path("token");
        Agent agent = register("traced-borrower");
        Response lent = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(delegation.url()).header("Authorization", owner).contentType(ContentType.JSON)
                        .body(Map.of("agent_id", agent.id(), "scopes", List.of("crm:contacts:read"), "expires_in", 600))
                        .post("/v1/delegations"), r -> r.statusCode() == 201);
        String grantId = lent.path("delegation.id");

        // Revoking the agent in identity-service revokes its grant in delegation-service, in the same trace.
        CallerTrace caller = CallerTrace.random();
        given().baseUri(identity.url()).header("Authorization", ADMIN).header("traceparent", caller.header())
                .post("/v1/agents/" + agent.id() + "/revoke").then().statusCode(200);
        JsonNode revoked;
        try (TopicReader delegationTopic = TopicReader.of("mandate.delegation")) {
            revoked = delegationTopic.awaitEvent(e -> "delegation.revoked".equals(e.path("type").asText())
                    && grantId.equals(e.path("data").path("delegation_id").asText()), EVENT_TIMEOUT);
        }
        String[] traceparent = traceparentOf(revoked);
        assertEquals(caller.traceId(), traceparent[1]);
        ExportedSpan consumerSpan = awaitSpan("delegation-service's span that wrote delegation.revoked",
                s -> traceparent[2].equals(s.spanId()));
        assertEquals("delegation-service", consumerSpan.service());
        assertEquals("process mandate.identity", consumerSpan.name());
        assertEquals(CONSUMER, consumerSpan.kind());
        ExportedSpan request = awaitSpan("identity-service's span for the revocation",
                s -> consumerSpan.parentSpanId().equals(s.spanId()));
        assertEquals("identity-service", request.service());
        assertEquals(caller.spanId(), request.parentSpanId());
    }

    @Test
    void aBadTraceparentStartsANewTraceAndIsNotPassedOn() {
        String[] traceparent = traceparentOf(registerAgent("00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01"));
        assertNotEquals("0".repeat(32), traceparent[1]);
        ExportedSpan server = awaitSpan("identity-service's span for the request", s -> traceparent[2].equals(s.spanId()));
        assertNull(server.parentSpanId(), "a new trace starts at the service");
    }
}
