package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestInfra;
import io.mandate.testsupport.TopicReader;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokenResourceIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read", "crm:*:write");
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);

    private static io.restassured.response.ValidatableResponse basic(TestAgent agent, String secret, String extraForm) {
        return given().auth().preemptive().basic(agent.id(), secret)
                .contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials" + extraForm)
                .post("/oauth2/token").then();
    }

    @Test
    void agentGetsAnAccessTokenSignedByAKeyInTheJwks() throws Exception {
        IdentityFixtures.registerAgent(PERMISSIONS); // the service's consumers are running
        TestAgent agent = IdentityFixtures.announceAgent(PERMISSIONS, "ten_test", "pro");
        // No waiting: the request may arrive before the projection has the agent.
        String jwt = basic(agent, agent.apiKey(), "").statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .body("scope", equalTo("crm:contacts:read crm:*:write"))
                .extract().path("access_token");

        SignedJWT token = SignedJWT.parse(jwt);
        assertEquals("at+jwt", token.getHeader().getType().getType());
        assertEquals(JWSAlgorithm.ES256, token.getHeader().getAlgorithm());
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200)
                .header("Cache-Control", "public, max-age=300").extract().asString();
        ECKey key = JWKSet.parse(jwks).getKeyByKeyId(token.getHeader().getKeyID()).toECKey();
        assertTrue(token.verify(new ECDSAVerifier(key)), "signature verifies with the published key");

        var claims = token.getJWTClaimsSet();
        assertEquals(agent.id(), claims.getSubject());
        assertEquals(agent.id(), claims.getStringClaim("client_id"));
        assertEquals("ten_test", claims.getStringClaim("tenant_id"));
        assertEquals("pro", claims.getStringClaim("tier"));
        assertEquals(2L, claims.getLongClaim("trust_level"));
        assertEquals(List.of("mandate"), claims.getAudience());
        assertEquals(900, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);

        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode verified = reader.awaitEvent(
                    e -> "agent.verified".equals(e.path("type").asText()) && claims.getJWTID().equals(e.path("data").path("jti").asText()),
                    EVENT_TIMEOUT);
            assertEquals(agent.id(), verified.path("subject").asText());
            assertEquals("client_secret_basic", verified.path("data").path("client_auth_method").asText());
        }
    }

    @Test
    void scopeDownscopesWithinThePermissionsAndNoFurther() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_id", agent.id())
                .formParam("client_secret", agent.apiKey()).formParam("scope", "crm:deals:write")
                .post("/oauth2/token").then().statusCode(200).body("scope", equalTo("crm:deals:write"));
        basic(agent, agent.apiKey(), "&scope=crm:contacts:delete").statusCode(400)
                .body("error", equalTo("invalid_scope"));
        basic(agent, agent.apiKey(), "&scope=NOT-A-SCOPE").statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void wrongSecretIsInvalidClientAndAuditedWithoutTheSecret() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String wrong = agent.apiKey().substring(0, agent.apiKey().length() - 4) + "zzzz";
        basic(agent, wrong, "").statusCode(401).header("WWW-Authenticate", "Basic realm=\"mandate\"")
                .body("error", equalTo("invalid_client")).body("error_description", equalTo("client authentication failed"));
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode failed = reader.awaitEvent(TopicReader.typeAndSubject("agent.verification_failed", agent.id()), EVENT_TIMEOUT);
            assertEquals("secret_mismatch", failed.path("data").path("reason").asText());
            assertFalse(failed.toString().contains(wrong), "a presented secret never reaches an event");
        }
        // Someone else's valid key does not authenticate this client id.
        TestAgent other = IdentityFixtures.registerAgent(PERMISSIONS);
        basic(agent, other.apiKey(), "").statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void revokedAgentIsRefusedWithinOneSecond() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        basic(agent, agent.apiKey(), "").statusCode(200);
        IdentityFixtures.changeStatus(agent.id(), "agent.revoked", "revoked", PERMISSIONS, 1);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 401);
        basic(agent, agent.apiKey(), "").statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aProjectionChangeAnotherReplicaStoredReachesThisReplicasMemoryWithinOneSecond() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        basic(agent, agent.apiKey(), "").statusCode(200); // now served from memory
        // Another replica consumed the event and wrote the row; this one hears of it from PostgreSQL only.
        IdentityFixtures.sql("update agent_projection set status = 'suspended' where agent_id = ?", agent.id());
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 401);
        IdentityFixtures.sql("update agent_projection set status = 'active' where agent_id = ?", agent.id());
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 200);
        IdentityFixtures.sql("update credential_projection set status = 'revoked' where agent_id = ?", agent.id());
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 401);
        basic(agent, agent.apiKey(), "").statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aListeningConnectionThatHangsIsReplacedAndMemoryIsNotTrustedMeanwhile() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        basic(agent, agent.apiKey(), "").statusCode(200); // now served from memory
        long listener = await().atMost(Duration.ofSeconds(5)).until(() -> listenerBackend(0), pid -> pid > 0);
        // The backend stops without closing its socket, as a hung server or a silent network would:
        // notifications stop and a cancel request is never acted on.
        TestInfra.signalDatabaseProcess("STOP", listener);
        try {
            IdentityFixtures.sql("update agent_projection set status = 'suspended' where agent_id = ?", agent.id());
            await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50))
                    .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 401);
            IdentityFixtures.sql("update agent_projection set status = 'active' where agent_id = ?", agent.id());
            // (The stopped backend stays in pg_stat_activity until it runs again.)
            long replacement = await().atMost(Duration.ofSeconds(5)).until(() -> listenerBackend(listener), pid -> pid > 0);
            basic(agent, agent.apiKey(), "").statusCode(200);
            // The new connection hears changes again, within a second.
            IdentityFixtures.sql("update credential_projection set status = 'revoked' where agent_id = ?", agent.id());
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 401);
            assertEquals(replacement, listenerBackend(listener));
        } finally {
            TestInfra.signalDatabaseProcess("CONT", listener);
        }
    }

    /** The PostgreSQL backend of token-service's listening connection other than {@code except}, 0 if none. */
    private static long listenerBackend(long except) {
        return IdentityFixtures.count("select coalesce(max(pid), 0) from pg_stat_activity where datname = current_database()"
                + " and application_name = ? and pid <> ?::int", "token-projection-changes", Long.toString(except));
    }

    @Test
    void revokedCredentialIsRefusedWithinOneSecond() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        basic(agent, agent.apiKey(), "").statusCode(200);
        IdentityFixtures.publishVerifier(agent, "revoked", null);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 401);
        // A late "active" verifier cannot bring a revoked key back.
        String late = IdentityFixtures.publishVerifier(agent, "active", null);
        await().atMost(EVENT_TIMEOUT).until(() -> IdentityFixtures.processed(late));
        basic(agent, agent.apiKey(), "").statusCode(401);
    }

    @Test
    void rotatedKeyStopsWorkingByItselfWhenItsGraceEnds() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        IdentityFixtures.publishVerifier(agent, "active", Instant.now().plusSeconds(2));
        await().atMost(Duration.ofSeconds(2)).until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 200);
        // No further event: the expiry alone ends it.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 401);
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode failed = reader.awaitEvent(e -> "agent.verification_failed".equals(e.path("type").asText())
                    && agent.id().equals(e.path("subject").asText())
                    && "credential_expired".equals(e.path("data").path("reason").asText()), EVENT_TIMEOUT);
            assertEquals("ten_test", failed.path("tenantid").asText());
        }
    }

    @Test
    void suspendedAgentIsRefusedUntilReactivated() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        basic(agent, agent.apiKey(), "").statusCode(200);
        IdentityFixtures.changeStatus(agent.id(), "agent.suspended", "suspended", PERMISSIONS, 1);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 401);
        IdentityFixtures.changeStatus(agent.id(), "agent.reactivated", "active", List.of("crm:contacts:read"), 2);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> basic(agent, agent.apiKey(), "").extract().statusCode() == 200);
        // A late, older snapshot (version 1, suspended) changes nothing. Version 3 after it on the same
        // partition proves it was processed before we look.
        IdentityFixtures.changeStatus(agent.id(), "agent.suspended", "suspended", PERMISSIONS, 1);
        IdentityFixtures.changeStatus(agent.id(), "agent.permissions_changed", "active", List.of("crm:deals:write"), 3);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "crm:deals:write".equals(basic(agent, agent.apiKey(), "").extract().path("scope")));
    }

    @Test
    void badRequestsGetOAuthErrorsNotServerErrors() {
        given().contentType("application/x-www-form-urlencoded").body("client_id=x")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").body("grant_type=password")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        given().contentType("application/json").body("{\"grant_type\":\"client_credentials\"}")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials&scope=%zz")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials&grant_type=client_credentials")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic("agt_unknown", "mnd_sk_nokey_nosecret")
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().header("Authorization", "Basic !!!notbase64").contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials").post("/oauth2/token").then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials&pad=" + "x".repeat(70_000))
                .post("/oauth2/token").then().statusCode(413);
    }

    @Test
    void discoveryListsExactlyWhatIsSupported() {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            given().get(path).then().statusCode(200)
                    .body("issuer", equalTo("http://token.test"))
                    .body("token_endpoint", equalTo("http://token.test/oauth2/token"))
                    .body("jwks_uri", equalTo("http://token.test/.well-known/jwks.json"))
                    .body("authorization_endpoint", equalTo("http://token.test/oauth2/authorize"))
                    .body("pushed_authorization_request_endpoint", equalTo("http://token.test/oauth2/par"))
                    .body("grant_types_supported", equalTo(List.of("authorization_code", "client_credentials",
                            "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange",
                            "urn:openid:params:grant-type:ciba")))
                    .body("backchannel_authentication_endpoint", equalTo("http://token.test/oauth2/bc-authorize"))
                    .body("backchannel_token_delivery_modes_supported", equalTo(List.of("poll")))
                    .body("response_types_supported", equalTo(List.of("code")))
                    .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                    .body("authorization_response_iss_parameter_supported", equalTo(true))
                    .body("token_endpoint_auth_methods_supported",
                            equalTo(List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none")))
                    .body("dpop_signing_alg_values_supported", hasItems("ES256", "EdDSA", "RS256"))
                    .body("token_endpoint_auth_signing_alg_values_supported", hasItems("ES256", "EdDSA", "PS256"));
        }
    }
}
