package io.mandate.audit.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class AuditTrailIT {

    private static final String ADMIN = "Bearer test-admin-token";

    /** The platform admin, reading tenant {@code ten_a} (where every event of this test is). */
    private static RequestSpecification asAdmin() {
        return given().header("Authorization", ADMIN).header("Mandate-Tenant", "ten_a");
    }

    private static String human(String tenantId, String role) {
        return human(TypeIds.newId("usr"), tenantId, role);
    }

    private static String human(String userId, String tenantId, String role) {
        return "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(userId,
                Map.of("tenant_id", tenantId, "roles", List.of(role), "email", "h@example.com"), Duration.ofMinutes(5));
    }

    private static String agent(String tenantId, String agentId) {
        return "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(agentId,
                Map.of("tenant_id", tenantId, "client_id", agentId), Duration.ofMinutes(5));
    }

    static String event(String id, String type, String agentId) {
        return event(Topics.TOKEN, id, type, agentId);
    }

    /** An event as the service that owns {@code topic} would write it. */
    static String event(String topic, String id, String type, String agentId) {
        return TestEvents.withSource(Topics.ownerSource(topic).orElseThrow(), type).id(id).subject(agentId)
                .time("2026-11-22T10:00:00.123456Z").tenant("ten_a").partitionKey(agentId).actor("agent", agentId)
                .data(Map.of("tenant_id", "ten_a", "agent_id", agentId)).json();
    }

    private static List<String> typesOf(String agentId) {
        return asAdmin().queryParam("agent_id", agentId)
                .get("/v1/audit/events").then().statusCode(200).extract().path("items.type");
    }

    @Test
    void eachEventIsStoredOnceEvenWhenDeliveredTwice() {
        String agentId = TypeIds.newId("agt");
        String id = UUID.randomUUID().toString();
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.TOKEN, agentId, event(id, "agent.verified", agentId));
            writer.send(Topics.TOKEN, agentId, event(id, "agent.verified", agentId));
            writer.send(Topics.IDENTITY, agentId, event(Topics.IDENTITY, UUID.randomUUID().toString(), "agent.revoked", agentId));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> typesOf(agentId).size() == 2);
        asAdmin().queryParam("agent_id", agentId).get("/v1/audit/events").then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].type", equalTo("agent.revoked"))
                .body("items[1].type", equalTo("agent.verified"))
                .body("items[1].id", equalTo(id))
                .body("items[1].actor.type", equalTo("agent"))
                .body("items[1].tenant_id", equalTo("ten_a"))
                .body("items[1].data.agent_id", equalTo(agentId))
                .body("next_cursor", nullValue());
    }

    @Test
    void pagesFollowTheCursorNewestFirst() {
        String agentId = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter()) {
            for (int i = 0; i < 3; i++) {
                writer.send(Topics.TOKEN, agentId, event(UUID.randomUUID().toString(), "agent.verified", agentId));
            }
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> typesOf(agentId).size() == 3);
        String cursor = asAdmin().queryParam("agent_id", agentId).queryParam("limit", 2)
                .get("/v1/audit/events").then().statusCode(200).body("items", hasSize(2))
                .body("next_cursor", notNullValue()).extract().path("next_cursor");
        asAdmin().queryParam("agent_id", agentId).queryParam("limit", 2)
                .queryParam("cursor", cursor).get("/v1/audit/events").then().statusCode(200)
                .body("items", hasSize(1)).body("next_cursor", nullValue());
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndTheTrailMovesOn() {
        String agentId = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter(); TopicReader dlq = TopicReader.of("mandate.dlq.audit-service")) {
            writer.send(Topics.TOKEN, agentId, "{not json at all " + agentId);
            writer.send(Topics.TOKEN, agentId, event(UUID.randomUUID().toString(), "agent.verified", agentId));
            await().atMost(Duration.ofSeconds(15)).until(() -> typesOf(agentId).size() == 1);
            // Each consumer that cannot read it puts it there once, naming itself: the trail's, and the
            // revocation check's (libs/auth).
            var poisoned = dlq.drain(Duration.ofSeconds(2)).stream()
                    .filter(r -> r.value() != null && r.value().contains(agentId)).toList();
            assertEquals(List.of("audit-service.trail"), poisoned.stream()
                    .map(r -> new String(r.headers().lastHeader("dead-letter-consumer").value(), StandardCharsets.UTF_8))
                    .filter(consumer -> !consumer.equals("access-revocations")).toList(),
                    "the poison record is kept on the dead-letter topic");
            String reason = new String(poisoned.get(0).headers().lastHeader("dead-letter-reason").value(),
                    StandardCharsets.UTF_8);
            assertTrue(reason.contains("not a CloudEvents JSON document"), reason);
        }
    }

    @Test
    void readersMustAuthenticateAndBadParametersAre400() {
        given().get("/v1/audit/events").then().statusCode(401).body("code", equalTo("unauthorized"));
        asAdmin().queryParam("limit", 501).get("/v1/audit/events").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        asAdmin().queryParam("limit", "ten").get("/v1/audit/events").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        asAdmin().queryParam("cursor", "bm90LWEtbnVtYmVy").get("/v1/audit/events").then()
                .statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void eachReaderSeesOnlyWhatItsRoleAndTenantAllow() {
        String agentId = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.TOKEN, agentId, event(UUID.randomUUID().toString(), "agent.verified", agentId));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> typesOf(agentId).size() == 1);
        for (String reader : List.of(human("ten_a", "auditor"), human("ten_a", "tenant_admin"), agent("ten_a", agentId))) {
            given().header("Authorization", reader).queryParam("agent_id", agentId).get("/v1/audit/events").then()
                    .statusCode(200).body("items.size()", equalTo(1));
        }
        // Another tenant's auditor, even naming the tenant, finds nothing.
        given().header("Authorization", human("ten_b", "auditor")).header("Mandate-Tenant", "ten_a")
                .queryParam("agent_id", agentId).get("/v1/audit/events").then().statusCode(200)
                .body("items.size()", equalTo(0));
        // An agent reads its own activity only; an owner is not an auditor.
        given().header("Authorization", agent("ten_a", TypeIds.newId("agt"))).queryParam("agent_id", agentId)
                .get("/v1/audit/events").then().statusCode(403);
        given().header("Authorization", agent("ten_a", TypeIds.newId("agt"))).get("/v1/audit/events").then()
                .statusCode(200).body("items.size()", equalTo(0));
        given().header("Authorization", human("ten_a", "owner")).get("/v1/audit/events").then().statusCode(403);
        given().header("Authorization", TestIssuer.named(TestIssuers.MANDATE).forged("usr_x",
                Map.of("tenant_id", "ten_a", "roles", List.of("auditor")))).get("/v1/audit/events").then().statusCode(401);
    }

    /** Publishes a human.* event as identity-service does: the account snapshot in {@code data.human}. */
    private static void publishHuman(String type, String userId, String tenantId, String email, String role,
            String status, String externalSubject, long version) {
        String subject = externalSubject == null ? "null" : "\"" + externalSubject + "\"";
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, userId, TestEvents.from("identity-service", type).subject(userId)
                    .time("2026-11-22T10:00:00Z").tenant(tenantId).partitionKey(userId).actor("human", "usr_admin")
                    .data("""
                            {"tenant_id":"%s","user_id":"%s","human":{"id":"%s","tenant_id":"%s","email":"%s",
                             "roles":["%s"],"status":"%s","external_subject":%s,"version":%d}}"""
                            .formatted(tenantId, userId, userId, tenantId, email, role, status, subject, version))
                    .json());
        }
    }

    @Test
    void aDisabledHumansTokenStopsWorkingHereOnceIdentitySaysSo() {
        String userId = TypeIds.newId("usr");
        String auditor = human(userId, "ten_a", "auditor");
        given().header("Authorization", auditor).get("/v1/audit/events").then().statusCode(200);
        publishHuman("human.registered", userId, "ten_a", "a@example.com", "auditor", "active", null, 0);
        publishHuman("human.disabled", userId, "ten_a", "a@example.com", "auditor", "disabled", null, 1);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                given().header("Authorization", auditor).get("/v1/audit/events").statusCode() == 401);
        given().header("Authorization", human("ten_a", "auditor")).get("/v1/audit/events").then().statusCode(200);
    }

    @Test
    void enterpriseIdpTokensActAsTheMandateAccountTheyMapTo() {
        String userId = TypeIds.newId("usr");
        String email = userId + "@corp.example";
        TestIssuer idp = TestIssuer.named(TestIssuers.EXTERNAL);
        String byEmail = "Bearer " + idp.token("00u-" + userId, Map.of("email", email, "email_verified", true),
                Duration.ofMinutes(5));
        given().header("Authorization", byEmail).get("/v1/audit/events").then().statusCode(401);
        publishHuman("human.registered", userId, TestIssuers.EXTERNAL_TENANT, email, "auditor", "active", null, 0);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                given().header("Authorization", byEmail).get("/v1/audit/events").statusCode() == 200);
        // Once identity-service linked the subject, the subject alone is enough; an owner is no auditor.
        publishHuman("human.updated", userId, TestIssuers.EXTERNAL_TENANT, email, "owner", "active", "00u-" + userId, 1);
        String bySubject = "Bearer " + idp.token("00u-" + userId, Map.of("email", "changed@corp.example"),
                Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(15)).until(() ->
                given().header("Authorization", bySubject).get("/v1/audit/events").statusCode() == 403);
        given().header("Authorization", "Bearer " + idp.forged("00u-" + userId, Map.of("email", email)))
                .get("/v1/audit/events").then().statusCode(401);
    }
}
