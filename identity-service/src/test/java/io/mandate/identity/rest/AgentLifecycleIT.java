package io.mandate.identity.rest;

import static io.mandate.identity.rest.AgentResourceIT.agentBody;
import static io.mandate.identity.rest.AgentResourceIT.register;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentLifecycleIT {

    private static final String ADMIN = "Bearer test-admin-token";
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON);
    }

    /** The event types published for this agent, in order, once {@code last} has arrived. */
    private static List<String> eventsOf(String agentId, String last) {
        try (TopicReader reader = TopicReader.of(Topics.IDENTITY)) {
            reader.awaitEvent(TopicReader.typeAndSubject(last, agentId), EVENT_TIMEOUT);
            return reader.drain(Duration.ofMillis(300)).stream().map(r -> TopicReader.parse(r.value()))
                    .filter(e -> agentId.equals(e.path("subject").asText())).map(e -> e.path("type").asText()).toList();
        }
    }

    @Test
    void everyChangePublishesItsEventWithTheNewSnapshotAndNoChangePublishesNothing() {
        String id = register("lifecycle");
        admin().body(Map.of("name", "renamed", "metadata", Map.of("team", "sales"))).patch("/v1/agents/" + id)
                .then().statusCode(200).body("name", equalTo("renamed")).body("metadata.team", equalTo("sales"))
                .body("owner_email", equalTo("owner@example.com"));
        admin().body(Map.of("name", "renamed")).patch("/v1/agents/" + id).then().statusCode(200); // no change
        admin().body(Map.of("permissions", List.of("crm:*:read"))).put("/v1/agents/" + id + "/permissions")
                .then().statusCode(200).body("permissions", contains("crm:*:read"));
        admin().body(Map.of("tier", "enterprise")).put("/v1/agents/" + id + "/tier")
                .then().statusCode(200).body("tier", equalTo("enterprise"));
        admin().post("/v1/agents/" + id + "/suspend").then().statusCode(200).body("status", equalTo("suspended"));
        admin().post("/v1/agents/" + id + "/suspend").then().statusCode(200).body("status", equalTo("suspended"));
        admin().post("/v1/agents/" + id + "/reactivate").then().statusCode(200).body("status", equalTo("active"))
                .body("version", equalTo(5));

        assertEquals(List.of("agent.registered", "agent.updated", "agent.permissions_changed", "agent.tier_changed",
                "agent.suspended", "agent.reactivated"), eventsOf(id, "agent.reactivated"));
        try (TopicReader reader = TopicReader.of(Topics.IDENTITY)) {
            JsonNode tier = reader.awaitEvent(TopicReader.typeAndSubject("agent.tier_changed", id), EVENT_TIMEOUT);
            assertEquals("enterprise", tier.path("data").path("agent").path("tier").asText());
            assertEquals(3, tier.path("data").path("agent").path("version").asInt());
        }
    }

    @Test
    void revokedAgentCannotBeReactivatedOrChanged() {
        String id = register("terminal");
        admin().post("/v1/agents/" + id + "/revoke").then().statusCode(200);
        admin().post("/v1/agents/" + id + "/reactivate").then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("agent_revoked"));
        admin().post("/v1/agents/" + id + "/suspend").then().statusCode(409).body("code", equalTo("agent_revoked"));
        admin().body(Map.of("name", "zombie")).patch("/v1/agents/" + id).then().statusCode(409);
        admin().get("/v1/agents/" + id).then().statusCode(200).body("status", equalTo("revoked")).body("name", equalTo("terminal"));
    }

    @Test
    void badChangesAreRefusedWithTheFieldNamed() {
        String id = register("strict");
        admin().body(Map.of("permissions", List.of("crm:contacts:read", "crm contacts"))).put("/v1/agents/" + id + "/permissions")
                .then().statusCode(400).body("code", equalTo("permission_invalid"));
        admin().body(Map.of("tier", "gold")).put("/v1/agents/" + id + "/tier").then().statusCode(400);
        admin().body(Map.of()).put("/v1/agents/" + id + "/tier").then().statusCode(400).body("errors[0].field", equalTo("tier"));
        admin().body(Map.of("name", "   ")).patch("/v1/agents/" + id).then().statusCode(400).body("errors[0].field", equalTo("name"));
        admin().body(Map.of("owner_email", "x@y.z")).patch("/v1/agents/" + id).then().statusCode(400)
                .body("code", equalTo("unknown_field"));
        admin().body(Map.of("tier", "pro")).put("/v1/agents/agt_nope/tier").then().statusCode(404);
        admin().get("/v1/agents/" + id).then().body("permissions", contains("crm:contacts:read", "crm:*:write"))
                .body("tier", equalTo("free")).body("name", equalTo("strict"));
    }

    @Test
    void listFiltersAndPagesNewestFirst() {
        String owner = "lister-" + UUID.randomUUID() + "@example.com";
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(admin().body(Map.of("name", "l" + i, "owner_email", owner, "permissions", List.of("a:b:c"), "tier", "pro"))
                    .post("/v1/agents").then().statusCode(201).extract().path("agent.id"));
        }
        admin().post("/v1/agents/" + ids.get(0) + "/suspend").then().statusCode(200);

        String cursor = admin().queryParam("owner", owner).queryParam("limit", 2).get("/v1/agents").then().statusCode(200)
                .body("items.id", contains(ids.get(2), ids.get(1))).body("next_cursor", notNullValue())
                .extract().path("next_cursor");
        admin().queryParam("owner", owner).queryParam("limit", 2).queryParam("cursor", cursor).get("/v1/agents").then()
                .statusCode(200).body("items.id", contains(ids.get(0))).body("next_cursor", nullValue());
        admin().queryParam("owner", owner).queryParam("status", "suspended").get("/v1/agents").then()
                .body("items.id", contains(ids.get(0)));
        admin().queryParam("owner", owner).queryParam("tier", "pro").get("/v1/agents").then()
                .body("items", hasSize(3)).body("items.tier", everyItem(equalTo("pro")));

        admin().queryParam("status", "sleeping").get("/v1/agents").then().statusCode(400).body("errors[0].field", equalTo("status"));
        admin().queryParam("limit", "many").get("/v1/agents").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        admin().queryParam("cursor", "!!").get("/v1/agents").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void sameIdempotencyKeyReturnsTheSameAgentNotASecondOne() {
        String key = UUID.randomUUID().toString();
        String first = admin().header("Idempotency-Key", key).body(agentBody("once")).post("/v1/agents").then()
                .statusCode(201).extract().path("agent.id");
        admin().header("Idempotency-Key", key).body(agentBody("once")).post("/v1/agents").then().statusCode(200)
                .header("Idempotent-Replayed", "true").body("agent.id", equalTo(first)).body("credentials", nullValue());
        admin().header("Idempotency-Key", key).body(agentBody("twice")).post("/v1/agents").then().statusCode(422)
                .body("code", equalTo("idempotency_key_reused"));
        admin().queryParam("owner", "owner@example.com").queryParam("limit", 500).get("/v1/agents").then()
                .body("items.findAll { it.name == 'once' }", hasSize(1));
    }
}
