package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TopicReader;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Refresh tokens on the seed flows and on the OAuth refresh_token grant: rotation, reuse, revocation. */
@QuarkusTest
class RefreshTokenIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read", "crm:deals:write");
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);

    static ValidatableResponse verify(TestAgent agent, String apiKey) {
        return given().contentType("application/json").body(Map.of("agent_id", agent.id(), "api_key", apiKey))
                .post("/v1/auth/verify").then();
    }

    static ValidatableResponse refresh(String refreshToken) {
        return given().contentType("application/json").body(Map.of("refresh_token", refreshToken))
                .post("/v1/auth/refresh").then();
    }

    static ValidatableResponse oauthRefresh(TestAgent client, String refreshToken, String scope) {
        return oauthRefresh(client, refreshToken, scope, null);
    }

    /** A refresh naming {@code resource} (RFC 8707) when it is not null. */
    static ValidatableResponse oauthRefresh(TestAgent client, String refreshToken, String scope, String resource) {
        var request = given().auth().preemptive().basic(client.id(), client.apiKey())
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refreshToken);
        if (scope != null) {
            request.formParam("scope", scope);
        }
        if (resource != null) {
            request.formParam("resource", resource);
        }
        return request.post("/oauth2/token").then();
    }

    @Test
    void verifyReturnsTheAgentAndATokenPair() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        verify(agent, agent.apiKey()).statusCode(200).header("Cache-Control", "no-store")
                .header("RateLimit-Limit", "300")
                .body("verified", equalTo(true))
                .body("agent.id", equalTo(agent.id())).body("agent.tenant_id", equalTo("ten_test"))
                .body("agent.status", equalTo("active")).body("agent.tier", equalTo("pro"))
                .body("agent.trust_level", equalTo(2)).body("agent.permissions", equalTo(PERMISSIONS))
                .body("token.token_type", equalTo("Bearer")).body("token.expires_in", equalTo(900))
                .body("token.access_token", notNullValue()).body("token.refresh_token", startsWith("mnd_rt_"));
    }

    @Test
    void verifyRefusesWrongKeysAndBadBodiesAsProblems() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent other = IdentityFixtures.registerAgent(PERMISSIONS);
        verify(agent, other.apiKey()).statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("invalid_client")).body("status", equalTo(401));
        verify(agent, "mnd_sk_garbage").statusCode(401).body("code", equalTo("invalid_client"));
        given().contentType("application/json").body("{\"agent_id\":\"" + agent.id() + "\"}")
                .post("/v1/auth/verify").then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").body("{\"agent_id\":\"x\",\"api_key\":\"y\",\"password\":\"z\"}")
                .post("/v1/auth/verify").then().statusCode(400).body("code", equalTo("unknown_field"));
        given().contentType("application/json").body(Map.of("agent_id", agent.id(), "api_key", agent.apiKey(),
                "scope", "crm:contacts:delete")).post("/v1/auth/verify").then().statusCode(400)
                .body("code", equalTo("invalid_scope"));
        refresh("mnd_rt_unknown").statusCode(400).body("code", equalTo("invalid_grant"));
    }

    @Test
    void everyUseRotatesAndReuseRevokesTheWholeFamily() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent resourceServer = IdentityFixtures.registerAgent(PERMISSIONS);
        String first = verify(agent, agent.apiKey()).statusCode(200).extract().path("token.refresh_token");
        var second = refresh(first).statusCode(200).body("refresh_token", not(equalTo(first)))
                .body("token_type", equalTo("Bearer")).extract();
        String secondRefresh = second.path("refresh_token");
        String secondAccess = second.path("access_token");
        IntrospectionIT.introspect(resourceServer, secondAccess).body("active", equalTo(true));
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            reader.awaitEvent(TopicReader.typeAndSubject("token.refreshed", agent.id()), EVENT_TIMEOUT);
        }

        // The first token comes back: someone kept a copy.
        refresh(first).statusCode(400).body("code", equalTo("invalid_grant"));
        refresh(secondRefresh).statusCode(400).body("code", equalTo("invalid_grant"));
        IntrospectionIT.introspect(resourceServer, secondAccess).body("active", equalTo(false));
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode reuse = reader.awaitEvent(TopicReader.typeAndSubject("refresh_token.reuse_detected", agent.id()),
                    EVENT_TIMEOUT);
            assertEquals(1, reuse.path("data").path("refresh_tokens_revoked").asInt(), "the live successor was revoked");
            assertFalse(reuse.toString().contains(first), "a refresh token never reaches an event");
        }
    }

    @Test
    void oauthRefreshGrantNeedsTheSameClientAndNarrowsScopes() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent thief = IdentityFixtures.registerAgent(PERMISSIONS);
        String refreshToken = verify(agent, agent.apiKey()).statusCode(200).extract().path("token.refresh_token");
        oauthRefresh(thief, refreshToken, null).statusCode(400).body("error", equalTo("invalid_grant"));
        oauthRefresh(agent, refreshToken, "crm:contacts:delete").statusCode(400).body("error", equalTo("invalid_scope"));
        String next = oauthRefresh(agent, refreshToken, "crm:deals:write").statusCode(200)
                .body("scope", equalTo("crm:deals:write")).extract().path("refresh_token");
        // Narrowing one access token does not narrow the family.
        oauthRefresh(agent, next, null).statusCode(200).body("scope", equalTo("crm:contacts:read crm:deals:write"));
        given().contentType("application/x-www-form-urlencoded").body("grant_type=refresh_token&client_id=" + agent.id())
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic(agent.id(), agent.apiKey()).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void suspendedAgentAndRevokedCredentialEndRefresh() {
        TestAgent suspended = IdentityFixtures.registerAgent(PERMISSIONS);
        String token = verify(suspended, suspended.apiKey()).statusCode(200).extract().path("token.refresh_token");
        IdentityFixtures.changeStatus(suspended.id(), "agent.suspended", "suspended", PERMISSIONS, 1);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> refresh(token).extract().statusCode() == 400);
        refresh(token).statusCode(400).body("code", equalTo("invalid_grant"));

        TestAgent keyRevoked = IdentityFixtures.registerAgent(PERMISSIONS);
        String other = verify(keyRevoked, keyRevoked.apiKey()).statusCode(200).extract().path("token.refresh_token");
        IdentityFixtures.publishVerifier(keyRevoked, "revoked", null);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> refresh(other).extract().statusCode() == 400);
    }

    @Test
    void lostPermissionsLeaveTheRefreshedToken() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String token = verify(agent, agent.apiKey()).statusCode(200).extract().path("token.refresh_token");
        IdentityFixtures.changeStatus(agent.id(), "agent.permissions_changed", "active", List.of("crm:contacts:read"), 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> "crm:contacts:read".equals(
                given().auth().preemptive().basic(agent.id(), agent.apiKey()).contentType("application/x-www-form-urlencoded")
                        .body("grant_type=client_credentials").post("/oauth2/token").then().extract().path("scope")));
        refresh(token).statusCode(200).body("scope", equalTo("crm:contacts:read"));
    }

    @Test
    void clientCredentialsGivesRefreshTokensOnlyWhereTheTenantSwitchedThemOn() {
        TestAgent plain = IdentityFixtures.registerAgent(PERMISSIONS);
        given().auth().preemptive().basic(plain.id(), plain.apiKey()).contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials").post("/oauth2/token").then().statusCode(200)
                .body("refresh_token", nullValue());
        TestAgent switched = IdentityFixtures.registerAgent(PERMISSIONS, "ten_ccrefresh", "pro");
        String refreshToken = given().auth().preemptive().basic(switched.id(), switched.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token").then().statusCode(200).body("refresh_token", startsWith("mnd_rt_"))
                .extract().path("refresh_token");
        oauthRefresh(switched, refreshToken, null).statusCode(200);
    }

    @Test
    void revokeTokensEndsEveryTokenTheAgentHolds() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent resourceServer = IdentityFixtures.registerAgent(PERMISSIONS);
        var pair = verify(agent, agent.apiKey()).statusCode(200).extract();
        String access = pair.path("token.access_token");
        String other = IntrospectionIT.token(agent);
        given().contentType("application/json").body(Map.of("agent_id", agent.id(), "api_key", resourceServer.apiKey()))
                .post("/v1/auth/revoke-tokens").then().statusCode(401).body("code", equalTo("invalid_client"));
        given().contentType("application/json").body(Map.of()).post("/v1/auth/revoke-tokens").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer")).body("code", equalTo("invalid_token"));

        given().contentType("application/json").header("Authorization", "Bearer " + other).body(Map.of())
                .post("/v1/auth/revoke-tokens").then().statusCode(200)
                .body("agent_id", equalTo(agent.id())).body("refresh_tokens_revoked", equalTo(1))
                .body("access_tokens_issued_before", notNullValue());
        IntrospectionIT.introspect(resourceServer, access).body("active", equalTo(false));
        IntrospectionIT.introspect(resourceServer, other).body("active", equalTo(false));
        refresh(pair.path("token.refresh_token")).statusCode(400).body("code", equalTo("invalid_grant"));
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode revoked = reader.awaitEvent(e -> "token.revoked".equals(e.path("type").asText())
                    && agent.id().equals(e.path("subject").asText()) && e.path("data").has("issued_before"), EVENT_TIMEOUT);
            assertEquals(1, revoked.path("data").path("refresh_tokens_revoked").asInt());
        }
    }

    @Test
    void oauthRevocationOfARefreshTokenEndsItsFamily() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent resourceServer = IdentityFixtures.registerAgent(PERMISSIONS);
        String refreshToken = verify(agent, agent.apiKey()).statusCode(200).extract().path("token.refresh_token");
        // Another client's revocation is ignored (RFC 7009 §2.1), with the same 200.
        revoke(resourceServer, refreshToken);
        var next = refresh(refreshToken).statusCode(200).extract();
        revoke(agent, next.path("refresh_token"));
        refresh(next.path("refresh_token")).statusCode(400).body("code", equalTo("invalid_grant"));
        IntrospectionIT.introspect(resourceServer, next.path("access_token")).body("active", equalTo(false));
    }

    private static void revoke(TestAgent client, String token) {
        given().auth().preemptive().basic(client.id(), client.apiKey())
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post("/oauth2/revoke").then().statusCode(200);
    }
}
