package io.mandate.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One tenant cannot hurt another through webhooks: its slow receivers hold at most the per-tenant share
 * of the delivery workers, so another tenant's first attempt still goes out at once; and the endpoint
 * URL it registers (often carrying a secret in its path) never goes into an event.
 */
@QuarkusTest
class TenantIsolationIT {

    private static final String ADMIN = "Bearer test-admin-token";
    private static final int PER_TENANT = 16;

    private HttpServer receiver;
    private final AtomicInteger slowInFlight = new AtomicInteger();
    private final AtomicInteger slowMostAtOnce = new AtomicInteger();
    private final AtomicLong fastReceivedAt = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);

    @AfterEach
    void stopReceiver() {
        finished.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private static String verified(String tenantId, String agentId) {
        return TestEvents.from("token-service", "agent.verified").subject(agentId).time("2026-12-04T10:00:00Z")
                .tenant(tenantId).partitionKey(agentId)
                .data(Map.of("tenant_id", tenantId, "agent_id", agentId, "grant_type", "client_credentials")).json();
    }

    private static String endpoint(String tenantId, String url) {
        return given().header("Authorization", ADMIN).header("Mandate-Tenant", tenantId).contentType(ContentType.JSON)
                .body(Map.of("url", url, "events", List.of("agent.verified"))).post("/v1/webhooks").then()
                .statusCode(201).extract().path("id");
    }

    private static void delete(String tenantId, String id) {
        given().header("Authorization", ADMIN).header("Mandate-Tenant", tenantId).delete("/v1/webhooks/" + id);
    }

    @Test
    void oneTenantsSlowReceiversLeaveWorkersForAnotherTenant() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(64));
        receiver.createContext("/slow", exchange -> {
            exchange.getRequestBody().readAllBytes();
            slowMostAtOnce.accumulateAndGet(slowInFlight.incrementAndGet(), Math::max);
            try {
                // A slow receiver: it answers when the test is done, or after 3 s.
                finished.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowInFlight.decrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/fast", exchange -> {
            exchange.getRequestBody().readAllBytes();
            fastReceivedAt.compareAndSet(0, System.nanoTime());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String slowTenant = "ten_" + TypeIds.randomToken(6);
        String fastTenant = "ten_" + TypeIds.randomToken(6);
        // Four endpoints at eight deliveries each could hold all 32 workers.
        List<String> slow = List.of(endpoint(slowTenant, base + "/slow"), endpoint(slowTenant, base + "/slow"),
                endpoint(slowTenant, base + "/slow"), endpoint(slowTenant, base + "/slow"));
        String fast = endpoint(fastTenant, base + "/fast");
        try (TopicWriter writer = new TopicWriter()) {
            for (int i = 0; i < 20; i++) {
                String agentId = TypeIds.newId("agt");
                writer.send(Topics.TOKEN, agentId, verified(slowTenant, agentId));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> slowInFlight.get() >= PER_TENANT);

            long sent = System.nanoTime();
            String agentId = TypeIds.newId("agt");
            writer.send(Topics.TOKEN, agentId, verified(fastTenant, agentId));
            await().atMost(Duration.ofSeconds(10)).until(() -> fastReceivedAt.get() != 0);
            long waitedMillis = (fastReceivedAt.get() - sent) / 1_000_000;
            assertTrue(waitedMillis < 2_000, "the other tenant's delivery waited " + waitedMillis
                    + " ms behind 3 s deliveries");
            assertEquals(PER_TENANT, slowMostAtOnce.get(), "one tenant holds at most its share of the workers");
        } finally {
            slow.forEach(id -> delete(slowTenant, id));
            delete(fastTenant, fast);
        }
    }

    @Test
    void theEndpointUrlsPathAndQueryNeverGoIntoAnEvent() {
        String tenantId = "ten_" + TypeIds.randomToken(6);
        String secretPath = "/services/T0001/B0001/" + TypeIds.randomToken(12);
        try (TopicReader reader = TopicReader.of(Topics.WEBHOOK)) {
            String id = endpoint(tenantId, "http://127.0.0.1:9" + secretPath + "?token=abc");
            JsonNode created = reader.awaitEvent(TopicReader.typeAndSubject("webhook.endpoint_created", id),
                    Duration.ofSeconds(20));
            assertEquals("http://127.0.0.1:9", created.path("data").path("url").asText());
            assertFalse(created.toString().contains(secretPath), created.toString());
            delete(tenantId, id);
        }
    }
}
