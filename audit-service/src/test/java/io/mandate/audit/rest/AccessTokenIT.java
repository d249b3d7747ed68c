package io.mandate.audit.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.ClientKey;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestInfra;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What libs/auth accepts at Mandate's own APIs (here audit-service's; the four services share the
 * mechanism): only token-service's RFC 9068 tokens meant for Mandate, DPoP-bound ones only with a
 * proof for the request, and none that was revoked, suspended or disabled since it was issued.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class AccessTokenIT {

    private static final String TENANT = "ten_access";
    /** How soon a revocation must reach this service's checks (docs/security.md: within a second). */
    private static final Duration REVOCATION_DEADLINE = Duration.ofSeconds(1);

    @TestHTTPResource("/v1/audit/events")
    URL events;

    private static TestIssuer issuer() {
        return TestIssuer.named(TestIssuers.MANDATE);
    }

    private static Map<String, Object> agentClaims(String agentId) {
        return Map.of("tenant_id", TENANT, "client_id", agentId, "scope", "crm:contacts:read");
    }

    private static String agentToken(String agentId) {
        return issuer().token(agentId, agentClaims(agentId), Duration.ofMinutes(5));
    }

    private static ValidatableResponse readEvents(String authorization) {
        return given().header("Authorization", authorization).get("/v1/audit/events").then();
    }

    private static ValidatableResponse readEvents(String authorization, String proof) {
        return given().header("Authorization", authorization).header("DPoP", proof).get("/v1/audit/events").then();
    }

    private static boolean consumerSeenRunning;

    /**
     * The revocation consumer reads every partition of both topics: events sent now to each are applied.
     * (A partition's first record after assignment waits about one poll; the 1 s checks below are about
     * the steady state.)
     */
    @BeforeEach
    void revocationConsumerIsRunning() {
        if (consumerSeenRunning) {
            return;
        }
        List<String> tokens = new java.util.ArrayList<>();
        try (TopicWriter writer = new TopicWriter()) {
            for (int i = 0; i < 24; i++) {
                String suspended = TypeIds.newId("agt");
                tokens.add("Bearer " + agentToken(suspended));
                writer.send(Topics.IDENTITY, suspended, agentEvent("agent.suspended", suspended, "suspended"));
                String agentId = TypeIds.newId("agt");
                String jti = UUID.randomUUID().toString();
                Map<String, Object> claims = new HashMap<>(agentClaims(agentId));
                claims.put("jti", jti);
                tokens.add("Bearer " + issuer().token(agentId, claims, Duration.ofMinutes(5)));
                writer.send(Topics.TOKEN, agentId, tokenRevoked(agentId, """
                        "jti":"%s","expires_at":"%s\"""".formatted(jti, Instant.now().plusSeconds(300))));
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(
                () -> tokens.stream().allMatch(token -> readEvents(token).extract().statusCode() == 401));
        consumerSeenRunning = true;
    }

    @Test
    void aTokenOfTokenServiceMeantForMandateIsAccepted() {
        readEvents("Bearer " + agentToken(TypeIds.newId("agt"))).statusCode(200);
    }

    @Test
    void aTokenMintedForAnotherResourceServerIsRefused() {
        String agentId = TypeIds.newId("agt");
        Map<String, Object> claims = new HashMap<>(agentClaims(agentId));
        claims.put("aud", "https://other.example");
        readEvents("Bearer " + issuer().token(agentId, claims, Duration.ofMinutes(5)))
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer error=\"invalid_token\""))
                .body("detail", equalTo("the access token is not meant for Mandate's APIs"));
        claims.put("aud", List.of("https://other.example", "mandate"));
        readEvents("Bearer " + issuer().token(agentId, claims, Duration.ofMinutes(5))).statusCode(200);
    }

    @Test
    void aTokenThatIsNotAnRfc9068AccessTokenIsRefused() {
        String agentId = TypeIds.newId("agt");
        for (String type : List.of("JWT", "dpop+jwt", "delegation+jwt")) {
            readEvents("Bearer " + issuer().tokenOfType(type, agentId, agentClaims(agentId)))
                    .statusCode(401)
                    .body("detail", equalTo("the access token's typ must be at+jwt"));
        }
    }

    @Test
    void forgedExpiredAndForeignTokensAreRefused() {
        String agentId = TypeIds.newId("agt");
        readEvents("Bearer " + issuer().forged(agentId, agentClaims(agentId))).statusCode(401)
                .body("detail", equalTo("the access token's signature does not verify"));
        readEvents("Bearer " + issuer().token(agentId, agentClaims(agentId), Duration.ofMinutes(-5))).statusCode(401)
                .body("detail", equalTo("the access token has expired"));
        // The enterprise IdP's tokens are for humans it vouches for, not for agents of token-service.
        readEvents("Bearer " + TestIssuer.named(TestIssuers.EXTERNAL).token(agentId, agentClaims(agentId),
                Duration.ofMinutes(5))).statusCode(401);
    }

    @Test
    void malformedBearerValuesAreRefusedWithout500() {
        String longGarbage = "a".repeat(12_000);
        for (String value : List.of("....", "x", "!!!.###.$$$", "eyJhbGciOiJFUzI1NiJ9.%%%.abc", "a.b.c", longGarbage,
                "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJub25lIn0.e30.")) {
            readEvents("Bearer " + value).statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer error=\"invalid_token\""));
        }
        // Larger than every header together may be: the HTTP layer answers 431 before anyone reads it.
        readEvents("Bearer " + "a".repeat(100_000)).statusCode(431);
    }

    @Test
    void aDpopBoundTokenIsAcceptedOnlyWithAProofForThisRequest() {
        ClientKey key = ClientKey.ec();
        String agentId = TypeIds.newId("agt");
        Map<String, Object> claims = new HashMap<>(agentClaims(agentId));
        claims.put("cnf", Map.of("jkt", key.thumbprint()));
        String token = issuer().token(agentId, claims, Duration.ofMinutes(5));
        String url = events.toString();

        readEvents("Bearer " + token).statusCode(401)
                .header("WWW-Authenticate", startsWith("DPoP error=\"invalid_token\""));
        readEvents("DPoP " + token).statusCode(401)
                .header("WWW-Authenticate", startsWith("DPoP error=\"invalid_dpop_proof\""))
                .body("detail", equalTo("a DPoP proof is required with a DPoP-bound token"));

        String proof = key.proof("GET", url, token);
        readEvents("DPoP " + token, proof).statusCode(200);
        readEvents("DPoP " + token, proof).statusCode(401)
                .body("detail", equalTo("the DPoP proof was used before"));

        readEvents("DPoP " + token, key.proof("POST", url, token)).statusCode(401)
                .body("detail", equalTo("the DPoP proof is for another HTTP method"));
        readEvents("DPoP " + token, key.proof("GET", url.replace("/v1/audit/events", "/v1/audit/verify"), token))
                .statusCode(401).body("detail", equalTo("the DPoP proof is for another URL"));
        readEvents("DPoP " + token, key.proof("GET", url, "another-token")).statusCode(401)
                .body("detail", equalTo("the DPoP proof's ath does not match the access token"));
        readEvents("DPoP " + token, key.proof("GET", url, null)).statusCode(401)
                .body("detail", equalTo("the DPoP proof's ath does not match the access token"));
        String stale = key.sign(key.proofHeader().build(), key.proofClaims("GET", url, token)
                .issueTime(Date.from(Instant.now().minusSeconds(600))).build());
        readEvents("DPoP " + token, stale).statusCode(401)
                .body("detail", equalTo("the DPoP proof's iat is outside the accepted window"));
        readEvents("DPoP " + token, ClientKey.ec().proof("GET", url, token)).statusCode(401)
                .body("detail", equalTo("the DPoP proof is signed by another key than the token's"));
        readEvents("DPoP " + token, "not-a-proof").statusCode(401)
                .body("detail", equalTo("the DPoP proof is not a signed JWT"));
    }

    @Test
    void aBearerTokenPresentedWithTheDpopSchemeIsRefused() {
        readEvents("DPoP " + agentToken(TypeIds.newId("agt"))).statusCode(401)
                .header("WWW-Authenticate", startsWith("DPoP error=\"invalid_token\""));
    }

    @Test
    void anAgentsTokensEndWithinASecondOfItsSuspensionAndStayEndedAfterReactivation() {
        String agentId = TypeIds.newId("agt");
        String before = "Bearer " + agentToken(agentId);
        readEvents(before).statusCode(200);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.suspended", agentId, "suspended"));
            refusedWithinDeadline(before);
            readEvents(before).body("detail", equalTo("the access token has been revoked"));

            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.reactivated", agentId, "active"));
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(1100)).until(
                    () -> readEvents("Bearer " + agentToken(agentId)).extract().statusCode() == 200);
            readEvents(before).statusCode(401);
        }
    }

    @Test
    void anAgentsTokensEndWithinASecondOfItsRevocation() {
        String agentId = TypeIds.newId("agt");
        String token = "Bearer " + agentToken(agentId);
        readEvents(token).statusCode(200);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.revoked", agentId, "revoked"));
        }
        refusedWithinDeadline(token);
        readEvents("Bearer " + agentToken(agentId)).statusCode(401);
    }

    @Test
    void aTokenRevokedByItsClientEndsWithinASecond() {
        String agentId = TypeIds.newId("agt");
        String jti = UUID.randomUUID().toString();
        Map<String, Object> claims = new HashMap<>(agentClaims(agentId));
        claims.put("jti", jti);
        String revoked = "Bearer " + issuer().token(agentId, claims, Duration.ofMinutes(5));
        String other = "Bearer " + agentToken(agentId);
        readEvents(revoked).statusCode(200);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.TOKEN, agentId, tokenRevoked(agentId, """
                    "jti":"%s","expires_at":"%s\"""".formatted(jti, Instant.now().plusSeconds(300))));
        }
        refusedWithinDeadline(revoked);
        readEvents(other).statusCode(200);
    }

    @Test
    void theAccessTokensOfARevokedRefreshFamilyEndWithinASecond() {
        String agentId = TypeIds.newId("agt");
        String jti = UUID.randomUUID().toString();
        Map<String, Object> claims = new HashMap<>(agentClaims(agentId));
        claims.put("jti", jti);
        String fromFamily = "Bearer " + issuer().token(agentId, claims, Duration.ofMinutes(5));
        readEvents(fromFamily).statusCode(200);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.TOKEN, agentId, tokenRevoked(agentId, """
                    "refresh_family_id":"rtf_x","refresh_tokens_revoked":1,
                    "access_tokens":[{"jti":"%s","expires_at":"%s"}]""".formatted(jti, Instant.now().plusSeconds(300))));
        }
        refusedWithinDeadline(fromFamily);
    }

    @Test
    void theRevocationConsumerPassesOverTheTokensIssuedAndRecordsOnlyWhatEndsTokens() throws Exception {
        String agentId = TypeIds.newId("agt");
        String jti = UUID.randomUUID().toString();
        Map<String, Object> claims = new HashMap<>(agentClaims(agentId));
        claims.put("jti", jti);
        String revoked = "Bearer " + issuer().token(agentId, claims, Duration.ofMinutes(5));
        List<String> ids = new java.util.ArrayList<>();
        TestEvents revocation = tokenEvent("token.revoked", agentId, """
                "jti":"%s","expires_at":"%s\"""".formatted(jti, Instant.now().plusSeconds(300)));
        try (TopicWriter writer = new TopicWriter()) {
            for (int i = 0; i < 20; i++) {
                TestEvents verified = tokenEvent("agent.verified", agentId, "\"jti\":\"" + UUID.randomUUID() + "\"");
                ids.add(verified.id());
                writer.send(Topics.TOKEN, agentId, verified.json());
            }
            ids.add(revocation.id());
            writer.send(Topics.TOKEN, agentId, revocation.json());
        }
        // Same key, same partition: once the revocation is applied, the events before it were read.
        refusedWithinDeadline(revoked);
        try (var db = TestInfra.asAdmin("mandate_audit");
                var query = db.prepareStatement(
                        "select event_id from processed_event where consumer = 'access-revocations' and event_id = any(?)")) {
            query.setArray(1, db.createArrayOf("text", ids.toArray()));
            List<String> recorded = new java.util.ArrayList<>();
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    recorded.add(rows.getString(1));
                }
            }
            assertEquals(List.of(ids.get(ids.size() - 1)), recorded, "only the revocation took a transaction");
        }
    }

    @Test
    void revokingEveryTokenOfAnAgentEndsThoseIssuedBeforeWithinASecond() {
        String agentId = TypeIds.newId("agt");
        Instant cutOff = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> earlier = new HashMap<>(agentClaims(agentId));
        earlier.put("iat", Date.from(cutOff.minusSeconds(10)));
        earlier.put("nbf", Date.from(cutOff.minusSeconds(10)));
        String before = "Bearer " + issuer().token(agentId, earlier, Duration.ofMinutes(5));
        Map<String, Object> later = new HashMap<>(agentClaims(agentId));
        later.put("iat", Date.from(cutOff.plusSeconds(1)));
        String after = "Bearer " + issuer().token(agentId, later, Duration.ofMinutes(5));
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.TOKEN, agentId, tokenRevoked(agentId, """
                    "issued_before":"%s","refresh_tokens_revoked":0""".formatted(cutOff)));
        }
        refusedWithinDeadline(before);
        readEvents(after).statusCode(200);
    }

    @Test
    void aDisabledHumansTokensEndWithinASecond() {
        String userId = TypeIds.newId("usr");
        String token = humanToken(userId);
        readEvents(token).statusCode(200);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, userId, humanEvent("human.disabled", userId, "disabled", null, 2));
        }
        // Revoked by libs/auth's own projection, not only by the audit listener's view of the account.
        await().atMost(REVOCATION_DEADLINE).until(
                () -> "the access token has been revoked".equals(readEvents(token).extract().path("detail")));
    }

    /** Polls until {@code authorization} is refused, at most {@link #REVOCATION_DEADLINE} after the event was sent. */
    private static void refusedWithinDeadline(String authorization) {
        await().atMost(REVOCATION_DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> readEvents(authorization).extract().statusCode() == 401);
    }

    @Test
    void aHumansTokensEndWithinASecondOfAPasswordChangeOrALogout() {
        // Times in whole seconds (as iat is), well apart: issued, password changed, issued again, signed out.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String userId = TypeIds.newId("usr");
        String beforeChange = humanToken(userId, now.minusSeconds(30));
        String afterChange = humanToken(userId, now.minusSeconds(10));
        readEvents(beforeChange).statusCode(200);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, userId, humanEvent("human.updated", userId, "active", now.minusSeconds(20), 2));
            refusedWithinDeadline(beforeChange);
            readEvents(afterChange).statusCode(200);

            writer.send(Topics.TOKEN, userId, """
                    {"specversion":"1.0","id":"%s","source":"/mandate/token-service","type":"token.revoked",
                     "subject":"%s","time":"%s","datacontenttype":"application/json","tenantid":"%s",
                     "data":{"tenant_id":"%s","user_id":"%s","issued_before":"%s","reason":"logout"}}"""
                    .formatted(UUID.randomUUID(), userId, now, TENANT, TENANT, userId, now.minusSeconds(5)));
            refusedWithinDeadline(afterChange);
        }
    }

    private static String humanToken(String userId) {
        return humanToken(userId, Instant.now());
    }

    /** A human's token as if issued at {@code issuedAt} (iat and nbf), valid for five minutes from now. */
    private static String humanToken(String userId, Instant issuedAt) {
        return "Bearer " + issuer().token(userId, Map.of("tenant_id", TENANT, "roles", List.of("auditor"),
                "email", "a@example.com", "iat", Date.from(issuedAt), "nbf", Date.from(issuedAt)), Duration.ofMinutes(5));
    }

    private static String humanEvent(String type, String userId, String status, Instant passwordChangedAt, long version) {
        return """
                {"specversion":"1.0","id":"%s","source":"/mandate/identity-service","type":"%s",
                 "subject":"%s","time":"%s","datacontenttype":"application/json","tenantid":"%s",
                 "data":{"tenant_id":"%s","human":{"id":"%s","tenant_id":"%s","email":"a@example.com",
                 "roles":["auditor"],"permissions":[],"status":"%s","password_changed_at":%s,"version":%d}}}"""
                .formatted(UUID.randomUUID(), type, userId, Instant.now(), TENANT, TENANT, userId, TENANT, status,
                        passwordChangedAt == null ? "null" : "\"" + passwordChangedAt + "\"", version);
    }

    static String agentEvent(String type, String agentId, String status) {
        return TestEvents.from("identity-service", type).subject(agentId).tenant(TENANT)
                .data(Map.of("tenant_id", TENANT, "agent", Map.of("id", agentId, "tenant_id", TENANT, "status", status,
                        "permissions", List.of(), "tier", "free", "trust_level", 1, "version", System.nanoTime())))
                .json();
    }

    private static String tokenRevoked(String agentId, String fields) {
        return tokenEvent("token.revoked", agentId, fields).json();
    }

    private static TestEvents tokenEvent(String type, String agentId, String fields) {
        return TestEvents.from("token-service", type).subject(agentId).tenant(TENANT).data("""
                {"tenant_id":"%s","agent_id":"%s",%s}""".formatted(TENANT, agentId, fields));
    }
}
