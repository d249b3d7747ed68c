package io.mandate.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestInfra;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentResourceIT {

    private static final String ADMIN = "Bearer test-admin-token";
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);

    static Map<String, Object> agentBody(String name) {
        return Map.of("name", name, "owner_email", "Owner@Example.com", "permissions",
                List.of("crm:contacts:read", "crm:*:write"), "metadata", Map.of("framework", "langchain"));
    }

    static String register(String name) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(agentBody(name))
                .post("/v1/agents").then().statusCode(201).extract().path("agent.id");
    }

    @Test
    void registeredAgentGetsItsKeyOnceAndEveryConsumerHearsOfIt() {
        var response = given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(agentBody("crm-bot"))
                .post("/v1/agents").then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("agent.id", matchesPattern("agt_[0-9a-z]{26}"))
                .body("agent.owner_email", equalTo("owner@example.com"))
                .body("agent.status", equalTo("active"))
                .body("agent.tier", equalTo("free"))
                .body("agent.trust_level", equalTo(1))
                .body("agent.permissions", contains("crm:contacts:read", "crm:*:write"))
                .body("credentials.api_key", matchesPattern("mnd_sk_[0-9a-z]+_[0-9a-z]+"))
                .extract();
        String agentId = response.path("agent.id");
        String apiKey = response.path("credentials.api_key");

        given().header("Authorization", ADMIN).get("/v1/agents/" + agentId).then().statusCode(200)
                .body("id", equalTo(agentId)).body("credentials", nullValue()).body("api_key", nullValue());

        try (TopicReader identity = TopicReader.of(Topics.IDENTITY);
                TopicReader credentials = TopicReader.of(Topics.IDENTITY_CREDENTIALS)) {
            JsonNode registered = identity.awaitEvent(TopicReader.typeAndSubject("agent.registered", agentId), EVENT_TIMEOUT);
            assertEquals("/mandate/identity-service", registered.path("source").asText());
            assertEquals("1.0", registered.path("specversion").asText());
            assertEquals("ten_default", registered.path("data").path("tenant_id").asText());
            assertEquals("active", registered.path("data").path("agent").path("status").asText());
            assertFalse(registered.toString().contains(apiKey), "the API key must never reach a public topic");

            JsonNode verifier = credentials.awaitEvent(
                    e -> agentId.equals(e.path("data").path("agent_id").asText()), EVENT_TIMEOUT);
            String hash = verifier.path("data").path("verifier").asText();
            assertEquals(64, hash.length());
            assertFalse(verifier.toString().contains(apiKey), "only the keyed hash leaves identity-service");
            assertNotEquals(apiKey, hash);
        }
    }

    @Test
    void anAgentAsksWhoItIsAndNobodyElseHasAMe() {
        String agentId = register("who-am-i");
        given().header("Authorization", Principals.agentToken("ten_default", agentId)).get("/v1/agents/me").then()
                .statusCode(200).body("id", equalTo(agentId)).body("permissions", hasItem("crm:contacts:read"))
                .body("trust_level", equalTo(1));
        given().header("Authorization", ADMIN).get("/v1/agents/me").then().statusCode(403)
                .body("code", equalTo("agent_required"));
        given().header("Authorization", ADMIN).post("/v1/agents/" + agentId + "/revoke").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(EVENT_TIMEOUT).until(() -> given()
                .header("Authorization", Principals.agentToken("ten_default", agentId)).get("/v1/agents/me")
                .statusCode() == 401);
    }

    @Test
    void revokedAgentIsTerminalAndAnnounced() {
        String agentId = register("to-revoke");
        given().header("Authorization", ADMIN).post("/v1/agents/" + agentId + "/revoke").then().statusCode(200)
                .body("status", equalTo("revoked"));
        // Revoking again changes nothing and publishes nothing new.
        given().header("Authorization", ADMIN).post("/v1/agents/" + agentId + "/revoke").then().statusCode(200)
                .body("status", equalTo("revoked"));
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            identity.awaitEvent(TopicReader.typeAndSubject("agent.revoked", agentId), EVENT_TIMEOUT);
            long revokedEvents = identity.drain(Duration.ofMillis(500)).stream()
                    .map(r -> TopicReader.parse(r.value()))
                    .filter(TopicReader.typeAndSubject("agent.revoked", agentId)).count();
            assertEquals(1, revokedEvents);
        }
    }

    @Test
    void unknownAgentIs404WithProblemDetails() {
        given().header("Authorization", ADMIN).post("/v1/agents/agt_doesnotexist/revoke").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("agent_not_found"));
        given().header("Authorization", ADMIN).get("/v1/agents/agt_doesnotexist").then().statusCode(404)
                .body("code", equalTo("agent_not_found"));
    }

    @Test
    void managementCallsNeedTheAdminCredential() {
        given().contentType(ContentType.JSON).body(agentBody("x")).post("/v1/agents").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").body("code", equalTo("unauthorized"));
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body(agentBody("x"))
                .post("/v1/agents").then().statusCode(401).body("detail", equalTo("the access token is not a signed JWT"))
                .header("WWW-Authenticate", startsWith("Bearer error=\"invalid_token\""));
    }

    @Test
    void badInputIsRefusedWithAClearProblemAndNothingStored() throws Exception {
        long before = agentRows();
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"name\": ")
                .post("/v1/agents").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_json"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/v1/agents").then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("errors.field", hasItem("owner_email")).body("errors.field", hasItem("permissions"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "owner_email", "a@b.co", "permissions", List.of("a:b:c"), "colour", "red"))
                .post("/v1/agents").then().statusCode(400).body("code", equalTo("unknown_field"))
                .body("errors[0].field", equalTo("colour"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "owner_email", "a@b.co", "permissions", List.of("read reports")))
                .post("/v1/agents").then().statusCode(400).body("code", equalTo("permission_invalid"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "owner_email", "a@b.co", "permissions", List.of("a:b:c"), "tier", "platinum"))
                .post("/v1/agents").then().statusCode(400).body("code", equalTo("invalid_json"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"name\":\"" + "x".repeat(70_000) + "\"}")
                .post("/v1/agents").then().statusCode(413);
        assertEquals(before, agentRows(), "no refused request may store an agent");
    }

    private static long agentRows() throws Exception {
        try (var connection = TestInfra.asAdmin("mandate_identity");
                var rs = connection.createStatement().executeQuery("select count(*) from agent")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
