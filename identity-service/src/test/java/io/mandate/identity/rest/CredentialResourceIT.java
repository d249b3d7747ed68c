package io.mandate.identity.rest;

import static io.mandate.identity.rest.AgentResourceIT.register;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CredentialResourceIT {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-token");
    }

    private static JsonNode verifierEvent(String credentialId, String status) {
        try (TopicReader reader = TopicReader.of(Topics.IDENTITY_CREDENTIALS)) {
            return reader.awaitEvent(e -> credentialId.equals(e.path("subject").asText())
                    && status.equals(e.path("data").path("status").asText()), EVENT_TIMEOUT);
        }
    }

    @Test
    void agentHoldsSeveralKeysListedWithoutTheirSecrets() {
        String agentId = register("two-keys");
        var added = admin().post("/v1/agents/" + agentId + "/credentials/api-keys").then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("api_key", matchesPattern("mnd_sk_[0-9a-z]+_[0-9a-z]+"))
                .body("credential.prefix", startsWith("mnd_sk_")).extract();
        String apiKey = added.path("api_key");
        String credentialId = added.path("credential.id");
        assertTrue(apiKey.startsWith((String) added.path("credential.prefix") + "_"));

        String listing = admin().get("/v1/agents/" + agentId + "/credentials").then().statusCode(200)
                .body("items", hasSize(2)).body("items.status", everyItem(equalTo("active")))
                .body("items.kind", everyItem(equalTo("api_key"))).extract().asString();
        assertFalse(listing.contains(apiKey.substring(apiKey.lastIndexOf('_') + 1)), "no secret in a listing");
        assertFalse(listing.contains("verifier"), "no hash in a listing");

        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            JsonNode event = identity.awaitEvent(TopicReader.typeAndSubject("agent.credential_added", credentialId),
                    EVENT_TIMEOUT);
            assertEquals(agentId, event.path("data").path("agent_id").asText());
            assertFalse(event.toString().contains(apiKey.substring(apiKey.lastIndexOf('_') + 1)));
        }
        verifierEvent(credentialId, "active");
    }

    @Test
    void revokedKeyIsAnnouncedAndItsVerifierSaysSo() {
        String agentId = register("revoke-key");
        String credentialId = admin().get("/v1/agents/" + agentId + "/credentials").then().extract().path("items[0].id");
        admin().post("/v1/agents/" + agentId + "/credentials/" + credentialId + "/revoke").then().statusCode(200)
                .body("status", equalTo("revoked")).body("revoked_at", notNullValue());
        admin().post("/v1/agents/" + agentId + "/credentials/" + credentialId + "/revoke").then().statusCode(200);
        verifierEvent(credentialId, "revoked");
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            identity.awaitEvent(TopicReader.typeAndSubject("agent.credential_revoked", credentialId), EVENT_TIMEOUT);
        }
        admin().post("/v1/agents/" + agentId + "/credentials/" + credentialId + "/rotate").then().statusCode(409)
                .body("code", equalTo("credential_not_usable"));
    }

    @Test
    void rotationIssuesASuccessorAndGivesTheOldKeyAGracePeriod() {
        String agentId = register("rotate-key");
        String oldId = admin().get("/v1/agents/" + agentId + "/credentials").then().extract().path("items[0].id");
        Instant before = Instant.now();
        var rotated = admin().contentType(ContentType.JSON).body(Map.of("grace_period_seconds", 60))
                .post("/v1/agents/" + agentId + "/credentials/" + oldId + "/rotate").then().statusCode(201)
                .body("replaced.id", equalTo(oldId)).body("replaced.status", equalTo("active"))
                .body("credential.id", not(equalTo(oldId))).body("api_key", startsWith("mnd_sk_")).extract();
        Instant expires = Instant.parse(rotated.path("replaced.expires_at"));
        assertTrue(!expires.isBefore(before.plusSeconds(59)) && expires.isBefore(Instant.now().plusSeconds(61)), expires.toString());

        JsonNode verifier = verifierEvent(oldId, "active");
        try (TopicReader reader = TopicReader.of(Topics.IDENTITY_CREDENTIALS)) {
            verifier = reader.awaitEvent(e -> oldId.equals(e.path("subject").asText())
                    && !e.path("data").path("expires_at").isNull() && e.path("data").has("expires_at"), EVENT_TIMEOUT);
        }
        assertEquals(expires, Instant.parse(verifier.path("data").path("expires_at").asText()));

        // Without a body the configured grace applies (24 h by default).
        String newId = rotated.path("credential.id");
        admin().post("/v1/agents/" + agentId + "/credentials/" + newId + "/rotate").then().statusCode(201)
                .body("replaced.expires_at", notNullValue());
    }

    @Test
    void wrongAgentUnknownCredentialAndBadGraceAreRefused() {
        String agentId = register("strict-keys");
        String otherAgent = register("other-keys");
        String credentialId = admin().get("/v1/agents/" + agentId + "/credentials").then().extract().path("items[0].id");
        admin().post("/v1/agents/" + otherAgent + "/credentials/" + credentialId + "/revoke").then().statusCode(404)
                .body("code", equalTo("credential_not_found"));
        admin().post("/v1/agents/agt_nope/credentials/api-keys").then().statusCode(404).body("code", equalTo("agent_not_found"));
        admin().get("/v1/agents/agt_nope/credentials").then().statusCode(404);
        admin().contentType(ContentType.JSON).body(Map.of("grace_period_seconds", -5))
                .post("/v1/agents/" + agentId + "/credentials/" + credentialId + "/rotate").then().statusCode(400)
                .body("errors[0].field", equalTo("grace_period_seconds"));
        admin().get("/v1/agents/" + agentId + "/credentials").then().body("items", hasSize(1))
                .body("items[0].expires_at", equalTo(null));
        given().post("/v1/agents/" + agentId + "/credentials/api-keys").then().statusCode(401);

        admin().post("/v1/agents/" + agentId + "/revoke").then().statusCode(200);
        admin().post("/v1/agents/" + agentId + "/credentials/api-keys").then().statusCode(409)
                .body("code", equalTo("agent_revoked"));
    }
}
