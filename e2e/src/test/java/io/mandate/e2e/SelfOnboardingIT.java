package io.mandate.e2e;

import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.PgpKey;
import io.mandate.testsupport.TopicReader;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SWARM's self-onboarding through token-service and identity-service: an agent with nothing but an OpenPGP
 * key gets a challenge, decrypts it, and exists: trust level 3 on the agent itself, the tenant's permissions
 * for such agents, the key as its credential, tokens at once, and an audit record of who registered it.
 */
class SelfOnboardingIT {

    @BeforeAll
    static void platform() throws Exception {
        Platform.start();
    }

    private static Response post(String path, Map<String, Object> body) {
        return given().baseUri(token.url()).contentType(ContentType.JSON).body(body).post(path);
    }

    @Test
    void anAgentWithNothingButAPgpKeyOnboardsItselfAndIsAudited() throws Exception {
        PgpKey key = PgpKey.generate();
        String fingerprint = key.fingerprint(true);
        ExtractableResponse<Response> started = post("/v1/auth/pgp/register",
                Map.of("pgp_public_key", key.armored(), "name", "swarm-bot")).then().statusCode(201)
                .body("fingerprint", equalTo(fingerprint))
                .body("encrypted_challenge", startsWith("-----BEGIN PGP MESSAGE-----")).extract();
        String secret = key.decrypt(started.path("encrypted_challenge"));

        try (TopicReader identityEvents = TopicReader.of(Topics.IDENTITY)) {
            ExtractableResponse<Response> onboarded = post("/v1/auth/pgp/register/verify",
                    Map.of("challenge_id", started.path("challenge_id"), "response", secret)).then().statusCode(201)
                    .body("verified", equalTo(true)).body("agent.trust_level", equalTo(3))
                    .body("agent.permissions", contains("read:reports"))
                    .body("token.refresh_token", startsWith("mnd_rt_")).extract();
            String agentId = onboarded.path("agent.id");
            String accessToken = onboarded.path("token.access_token");
            assertEquals(3L, SignedJWT.parse(accessToken).getJWTClaimsSet().getLongClaim("trust_level"));

            // Trust level 3 lives on the agent, not only in the token; the key is its credential.
            given().baseUri(identity.url()).header("Authorization", "Bearer " + accessToken).get("/v1/agents/me").then()
                    .statusCode(200).body("id", equalTo(agentId)).body("trust_level", equalTo(3))
                    .body("name", equalTo("swarm-bot"));
            given().baseUri(identity.url()).header("Authorization", "Bearer " + accessToken)
                    .get("/v1/agents/" + agentId + "/credentials").then().statusCode(200)
                    .body("items.kind", contains("pgp")).body("items[0].prefix", equalTo(fingerprint));

            JsonNode registered = identityEvents.awaitEvent(TopicReader.typeAndSubject("agent.registered", agentId),
                    Duration.ofSeconds(30));
            assertEquals("system", registered.path("authtype").asText(), "registered by token-service, not by a person");
            assertEquals("svc_token-service", registered.path("authid").asText());
        }

        // The challenge answers once; the key is an agent's now.
        post("/v1/auth/pgp/register/verify", Map.of("challenge_id", started.path("challenge_id"), "response", secret))
                .then().statusCode(400).body("code", equalTo("invalid_grant"));
        post("/v1/auth/pgp/register", Map.of("pgp_public_key", key.armored())).then().statusCode(409)
                .body("code", equalTo("credential_exists"));
        // A wrong answer creates nothing.
        String challenge = post("/v1/auth/pgp/register", Map.of("pgp_public_key", PgpKey.generate().armored())).then().statusCode(201)
                .extract().path("challenge_id");
        post("/v1/auth/pgp/register/verify", Map.of("challenge_id", challenge, "response", "guess")).then()
                .statusCode(400).body("code", equalTo("invalid_grant"));
        post("/v1/auth/pgp/register", Map.of("pgp_public_key", "not a key")).then().statusCode(400)
                .body("code", equalTo("invalid_pgp_key"));
    }
}
