package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.ClientKey;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.mandate.token.DelegationServer;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 8693 token exchange of delegation tokens: nested act, bounds, and every refusal. */
@QuarkusTest
@QuarkusTestResource(DelegationServer.class)
class TokenExchangeIT {

    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String DELEGATION = "urn:mandate:params:oauth:token-type:delegation";
    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    private static final List<String> PERMISSIONS = List.of("crm:contacts:read", "crm:contacts:write");
    private static final ClientKey SIGNER = ClientKey.ed25519();
    private static final String KID = "dk_test";

    @BeforeAll
    static void publishTheDelegationKey() {
        System.setProperty(DelegationServer.JWKS_PROPERTY,
                new JWKSet(new com.nimbusds.jose.jwk.OctetKeyPair.Builder(
                        (com.nimbusds.jose.jwk.OctetKeyPair) SIGNER.publicJwk()).keyID(KID).build()).toString());
    }

    /** A delegation token as delegation-service makes it: user → chain[0] → ... → chain[last]. */
    static String delegationToken(ClientKey signer, String userId, String tenantId, List<String> chainAgents,
            List<String> chainIds, String scope, Instant expiresAt) {
        List<Map<String, String>> chain = new ArrayList<>();
        for (int i = 0; i < chainAgents.size(); i++) {
            chain.add(Map.of("delegation_id", chainIds.get(i), "agent_id", chainAgents.get(i)));
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(DelegationServer.ISSUER).subject(userId)
                .jwtID(UUID.randomUUID().toString()).issueTime(new Date()).expirationTime(Date.from(expiresAt))
                .claim("tenant_id", tenantId).claim("delegation_id", chainIds.get(chainIds.size() - 1))
                .claim("agent_id", chainAgents.get(chainAgents.size() - 1)).claim("scope", scope)
                .claim("max_depth", 3).claim("chain", chain).build();
        return signer.sign(signer.header().keyID(KID).type(new JOSEObjectType("delegation+jwt")).build(), claims);
    }

    static String delegationToken(String userId, List<TestAgent> chain, List<String> ids, String scope) {
        return delegationToken(SIGNER, userId, "ten_test", chain.stream().map(TestAgent::id).toList(), ids, scope,
                Instant.now().plusSeconds(600));
    }

    /**
     * A human owner of ten_test who may lend {@code crm:*:*}, as identity-service publishes it; returns once
     * token-service has it.
     */
    static String owner() {
        String userId = TypeIds.newId("usr");
        human(userId, List.of("owner"), List.of("crm:*:*"), "active", 1);
        return userId;
    }

    private static void human(String userId, List<String> roles, List<String> permissions, String status, long version) {
        String eventId = IdentityFixtures.publishHuman(userId, userId, null, roles, permissions, status, version);
        await().atMost(Duration.ofSeconds(30)).until(() -> IdentityFixtures.processed(eventId));
    }

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(TypeIds.newId("dlg"));
        }
        return ids;
    }

    /** A {@code delegation.revoked} as delegation-service publishes it: the first id and every one. */
    private static String revokedEvent(String agentId, List<String> delegationIds) {
        return TestEvents.from("delegation-service", "delegation.revoked").subject(delegationIds.get(0))
                .time("2026-11-22T00:00:00Z").tenant("ten_test").partitionKey(agentId)
                .data(Map.of("tenant_id", "ten_test", "delegation_id", delegationIds.get(0),
                        "delegation_ids", delegationIds)).json();
    }

    private static String accessToken(TestAgent agent) {
        return IntrospectionIT.token(agent);
    }

    private static RequestSpecification form() {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", EXCHANGE);
    }

    /** The exchange with the actor's own access token as actor_token. */
    private static ValidatableResponse exchange(TestAgent actor, String subjectToken) {
        return form().formParam("subject_token", subjectToken).formParam("subject_token_type", DELEGATION)
                .formParam("actor_token", accessToken(actor)).formParam("actor_token_type", ACCESS_TOKEN)
                .post("/oauth2/token").then();
    }

    private static JWTClaimsSet claims(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet();
    }

    @Test
    void theDelegateGetsATokenActingForTheHuman() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent resourceServer = IdentityFixtures.registerAgent(PERMISSIONS);
        String user = owner();
        List<String> ids = ids(1);
        var body = exchange(agent, delegationToken(user, List.of(agent), ids, "crm:contacts:read")).statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("issued_token_type", equalTo(ACCESS_TOKEN))
                .body("scope", equalTo("crm:contacts:read"))
                .extract().jsonPath();
        JWTClaimsSet claims = claims(body.getString("access_token"));
        assertEquals(user, claims.getSubject());
        assertEquals(agent.id(), claims.getStringClaim("client_id"));
        assertEquals(Map.of("sub", agent.id()), claims.getJSONObjectClaim("act"));
        assertEquals(ids.get(0), claims.getStringClaim("delegation_id"));

        IntrospectionIT.introspect(resourceServer, body.getString("access_token")).body("active", equalTo(true))
                .body("sub", equalTo(user)).body("act.sub", equalTo(agent.id()))
                .body("delegation_id", equalTo(ids.get(0)));
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode event = reader.awaitEvent(e -> "token.exchanged".equals(e.path("type").asText())
                    && ids.get(0).equals(e.path("data").path("delegation_id").asText()), Duration.ofSeconds(20));
            assertEquals(user, event.path("data").path("user_id").asText());
            assertEquals(claims.getJWTID(), event.path("data").path("jti").asText());
        }
    }

    @Test
    void aThreeHopChainNestsActExactlyAndTheGrantBoundsScopeAndExpiry() throws Exception {
        TestAgent a = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent b = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent c = IdentityFixtures.registerAgent(PERMISSIONS);
        String user = owner();
        List<String> ids = ids(3);
        Instant grantExpiry = Instant.now().plusSeconds(90);
        String token = delegationToken(SIGNER, user, "ten_test", List.of(a.id(), b.id(), c.id()), ids,
                "crm:contacts:read crm:contacts:write", grantExpiry);

        // The last delegate acts, authenticating as a client instead of with an actor token.
        var body = given().auth().preemptive().basic(c.id(), c.apiKey()).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", EXCHANGE).formParam("subject_token", token)
                .formParam("subject_token_type", DELEGATION).formParam("scope", "crm:contacts:read")
                .post("/oauth2/token").then().statusCode(200)
                .body("scope", equalTo("crm:contacts:read"))
                .body("expires_in", lessThanOrEqualTo(90))
                .extract().jsonPath();
        JWTClaimsSet claims = claims(body.getString("access_token"));
        assertEquals(Map.of("sub", c.id(), "act", Map.of("sub", b.id(), "act", Map.of("sub", a.id()))),
                claims.getJSONObjectClaim("act"));
        assertEquals(ids.get(2), claims.getStringClaim("delegation_id"));
        assertFalse(claims.getExpirationTime().toInstant().isAfter(grantExpiry));

        // More than the grant lends is refused.
        given().auth().preemptive().basic(c.id(), c.apiKey()).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", EXCHANGE).formParam("subject_token", token)
                .formParam("subject_token_type", DELEGATION).formParam("scope", "crm:deals:read")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void revokingAMiddleLinkEndsExchangeAndIntrospectionWithinASecond() {
        long start;
        TestAgent a = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent b = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent c = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent resourceServer = IdentityFixtures.registerAgent(PERMISSIONS);
        List<String> ids = ids(3);
        String token = delegationToken(owner(), List.of(a, b, c), ids, "crm:contacts:read");
        String issued = exchange(c, token).statusCode(200).extract().path("access_token");
        IntrospectionIT.introspect(resourceServer, issued).body("active", equalTo(true));

        try (TopicWriter writer = new TopicWriter()) {
            // The first event a fresh consumer takes from a partition also pays for its cold start; the
            // target is about a running service, so one unrelated revocation on the same partition goes first.
            String warmUp = revokedEvent(b.id(), List.of(TypeIds.newId("dlg")));
            writer.send(Topics.DELEGATION, b.id(), warmUp);
            await().atMost(Duration.ofSeconds(30)).until(() -> IdentityFixtures.processed(TopicReader.parse(warmUp)
                    .path("id").asText()));

            // delegation-service revokes the middle link and, in the same event, the last one.
            start = System.nanoTime();
            writer.send(Topics.DELEGATION, b.id(), revokedEvent(b.id(), ids.subList(1, 3)));
        }
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                !given().auth().preemptive().basic(resourceServer.id(), resourceServer.apiKey())
                        .contentType("application/x-www-form-urlencoded").formParam("token", issued)
                        .post("/oauth2/introspect").then().extract().<Boolean>path("active"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1000);
        exchange(c, token).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void everythingButTheDelegateWithAValidTokenIsRefused() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent other = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent foreign = IdentityFixtures.registerAgent(PERMISSIONS, "ten_other", "pro");
        String user = owner();
        List<String> ids = ids(1);
        String token = delegationToken(user, List.of(agent), ids, "crm:contacts:read");

        exchange(other, token).statusCode(400).body("error", equalTo("invalid_grant"));
        exchange(foreign, token).statusCode(400).body("error", equalTo("invalid_grant"));
        String foreignGrant = delegationToken(SIGNER, user, "ten_other", List.of(agent.id()), ids, "crm:contacts:read",
                Instant.now().plusSeconds(600));
        exchange(agent, foreignGrant).statusCode(400).body("error", equalTo("invalid_grant"));
        String[] parts = token.split("\\.");
        exchange(agent, parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + "AAAA" + parts[2].substring(14))
                .statusCode(400).body("error", equalTo("invalid_grant"));
        String forged = delegationToken(ClientKey.ed25519(), user, "ten_test", List.of(agent.id()), ids,
                "crm:contacts:read", Instant.now().plusSeconds(600));
        exchange(agent, forged).statusCode(400).body("error", equalTo("invalid_grant"));
        String expired = delegationToken(SIGNER, user, "ten_test", List.of(agent.id()), ids, "crm:contacts:read",
                Instant.now().minusSeconds(5));
        exchange(agent, expired).statusCode(400).body("error", equalTo("invalid_grant"));
        // An access token is not a delegation token.
        exchange(agent, accessToken(agent)).statusCode(400).body("error", equalTo("invalid_grant"));

        // A delegated token cannot act as the actor of another exchange.
        String delegated = exchange(agent, token).statusCode(200).extract().path("access_token");
        form().formParam("subject_token", token).formParam("subject_token_type", DELEGATION)
                .formParam("actor_token", delegated).formParam("actor_token_type", ACCESS_TOKEN)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));

        // Malformed requests.
        form().formParam("subject_token_type", DELEGATION).formParam("actor_token", accessToken(agent))
                .formParam("actor_token_type", ACCESS_TOKEN).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        form().formParam("subject_token", token).formParam("subject_token_type", "urn:x:saml")
                .formParam("actor_token", accessToken(agent)).formParam("actor_token_type", ACCESS_TOKEN)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        form().formParam("subject_token", token).formParam("subject_token_type", DELEGATION)
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aDpopProofBindsTheDelegatedToken() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        ClientKey key = ClientKey.ec();
        String token = delegationToken(owner(), List.of(agent), ids(1), "crm:contacts:read");
        var body = form().header("DPoP", key.proof("POST", "http://token.test/oauth2/token", null))
                .formParam("subject_token", token).formParam("subject_token_type", DELEGATION)
                .formParam("actor_token", accessToken(agent)).formParam("actor_token_type", ACCESS_TOKEN)
                .post("/oauth2/token").then().statusCode(200).body("token_type", equalTo("DPoP")).extract().jsonPath();
        assertEquals(Map.of("jkt", key.thumbprint()), claims(body.getString("access_token")).getJSONObjectClaim("cnf"));
    }

    @Test
    void theHumansAuthorityNowBoundsEveryExchange() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String user = owner();
        String token = delegationToken(user, List.of(agent), ids(1), "crm:contacts:read crm:contacts:write");
        exchange(agent, token).statusCode(200).body("scope", equalTo("crm:contacts:read crm:contacts:write"));

        // The human now holds only part of what the grant lends: the token carries only that part.
        human(user, List.of("owner"), List.of("crm:contacts:read"), "active", 2);
        exchange(agent, token).statusCode(200).body("scope", equalTo("crm:contacts:read"));
        // Nothing of it any more.
        human(user, List.of("owner"), List.of("billing:*:*"), "active", 3);
        exchange(agent, token).statusCode(400).body("error", equalTo("invalid_scope"))
                .body("error_description", equalTo("the delegating human no longer holds what the grant lends"));
        // No longer someone who lends.
        human(user, List.of("auditor"), List.of("crm:*:*"), "active", 4);
        exchange(agent, token).statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("the delegating human is no longer an owner or tenant admin"));
        // Disabled, or never known here.
        human(user, List.of("owner"), List.of("crm:*:*"), "disabled", 5);
        exchange(agent, token).statusCode(400).body("error", equalTo("invalid_grant"));
        exchange(agent, delegationToken(TypeIds.newId("usr"), List.of(agent), ids(1), "crm:contacts:read"))
                .statusCode(400).body("error", equalTo("invalid_grant"));
    }
}
