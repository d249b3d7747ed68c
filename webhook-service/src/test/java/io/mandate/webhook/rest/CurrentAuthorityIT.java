package io.mandate.webhook.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A human's roles are the account's, read at every request: a token minted while they were tenant admin
 * stops acting as one as soon as identity-service says they are not (within a second), not hours later
 * when it expires.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class CurrentAuthorityIT {

    private static final String TENANT = "ten_default";

    private static String humanEvent(String type, String userId, String role, long version) {
        return TestEvents.from("identity-service", type).subject(userId).tenant(TENANT)
                .data(Map.of("tenant_id", TENANT, "user_id", userId, "human", Map.of("id", userId, "tenant_id", TENANT,
                        "email", userId + "@example.com", "roles", List.of(role), "permissions", List.of(),
                        "status", "active", "version", version))).json();
    }

    private static int createWebhook(String bearer) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("agent.verified")))
                .post("/v1/webhooks").then().extract().statusCode();
    }

    @Test
    void aTenantAdminDemotedToAuditorCannotCreateAWebhookASecondLater() {
        String userId = TypeIds.newId("usr");
        String token = "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(userId,
                Map.of("tenant_id", TENANT, "roles", List.of("tenant_admin"), "email", userId + "@example.com"),
                Duration.ofHours(6));
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, userId, humanEvent("human.registered", userId, "tenant_admin", 1));
            // The account is known here once its webhooks can be managed as the account says.
            await().atMost(Duration.ofSeconds(30)).until(() -> createWebhook(token) == 201);

            writer.send(Topics.IDENTITY, userId, humanEvent("human.updated", userId, "auditor", 2));
            await().atMost(Duration.ofSeconds(1)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> createWebhook(token) == 403);
        }
        given().header("Authorization", token).get("/v1/webhooks").then().statusCode(403);
    }

    @Test
    void aTokenNamingRolesTheAccountNeverHadGetsOnlyTheAccountsRoles() {
        String userId = TypeIds.newId("usr");
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, userId, humanEvent("human.registered", userId, "auditor", 1));
        }
        String claimsAdmin = "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(userId,
                Map.of("tenant_id", TENANT, "roles", List.of("tenant_admin"), "email", userId + "@example.com"),
                Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(30)).until(() -> createWebhook(claimsAdmin) == 403);
    }
}
