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
import io.mandate.eventing.Topics;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuditTrailIT {

    private static final String ADMIN = "Bearer test-admin-token";

    static String event(String id, String type, String agentId) {
        return """
                {"specversion":"1.0","id":"%s","source":"/mandate/token-service","type":"%s","subject":"%s",
                 "time":"2026-11-22T10:00:00.123456Z","datacontenttype":"application/json","tenantid":"ten_a",
                 "partitionkey":"%s","authtype":"agent","authid":"%s","data":{"tenant_id":"ten_a","agent_id":"%s"}}"""
                .formatted(id, type, agentId, agentId, agentId, agentId);
    }

    private static List<String> typesOf(String agentId) {
        return given().header("Authorization", ADMIN).queryParam("agent_id", agentId)
                .get("/v1/audit/events").then().statusCode(200).extract().path("items.type");
    }

    @Test
    void eachEventIsStoredOnceEvenWhenDeliveredTwice() {
        String agentId = TypeIds.newId("agt");
        String id = UUID.randomUUID().toString();
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.TOKEN, agentId, event(id, "agent.verified", agentId));
            writer.send(Topics.TOKEN, agentId, event(id, "agent.verified", agentId));
            writer.send(Topics.IDENTITY, agentId, event(UUID.randomUUID().toString(), "agent.revoked", agentId));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> typesOf(agentId).size() == 2);
        given().header("Authorization", ADMIN).queryParam("agent_id", agentId).get("/v1/audit/events").then()
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
        String cursor = given().header("Authorization", ADMIN).queryParam("agent_id", agentId).queryParam("limit", 2)
                .get("/v1/audit/events").then().statusCode(200).body("items", hasSize(2))
                .body("next_cursor", notNullValue()).extract().path("next_cursor");
        given().header("Authorization", ADMIN).queryParam("agent_id", agentId).queryParam("limit", 2)
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
            var poisoned = dlq.drain(Duration.ofSeconds(2)).stream().filter(r -> r.value() != null && r.value().contains(agentId)).toList();
            assertEquals(1, poisoned.size(), "the poison record is kept on the dead-letter topic");
            String reason = new String(poisoned.get(0).headers().lastHeader("dead-letter-reason").value(),
                    StandardCharsets.UTF_8);
            assertTrue(reason.contains("not a CloudEvents JSON document"), reason);
        }
    }

    @Test
    void readersMustAuthenticateAndBadParametersAre400() {
        given().get("/v1/audit/events").then().statusCode(401).body("code", equalTo("unauthorized"));
        given().header("Authorization", ADMIN).queryParam("limit", 501).get("/v1/audit/events").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        given().header("Authorization", ADMIN).queryParam("limit", "ten").get("/v1/audit/events").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        given().header("Authorization", ADMIN).queryParam("cursor", "bm90LWEtbnVtYmVy").get("/v1/audit/events").then()
                .statusCode(400).body("errors[0].field", equalTo("cursor"));
    }
}
