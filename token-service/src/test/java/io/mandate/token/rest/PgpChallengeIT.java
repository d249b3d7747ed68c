package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.PgpKey;
import io.mandate.testsupport.TopicReader;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SWARM PGP flow with a real OpenPGP key made in the test: challenge, decrypt, verify → trust level 3. */
@QuarkusTest
class PgpChallengeIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read");

    /** An agent with a fresh RSA-2048 OpenPGP key registered as its pgp credential. */
    private record PgpAgent(TestAgent agent, PgpKey key, String credentialId, String armored) {
    }

    private static PgpAgent pgpAgent() throws Exception {
        return pgpAgent("ten_test");
    }

    private static PgpAgent pgpAgent(String tenantId) throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS, tenantId, "pro");
        PgpKey key = PgpKey.generate();
        String credentialId = TypeIds.newId("cred");
        String armored = key.armored();
        IdentityFixtures.publishPgpKey(agent, credentialId, key.fingerprint(false), armored, "active");
        return new PgpAgent(agent, key, credentialId, armored);
    }

    private static ValidatableResponse challenge(String agentId) {
        return given().contentType("application/json").body(Map.of("agent_id", agentId)).post("/v1/auth/pgp/challenge").then();
    }

    private static ValidatableResponse answer(String challengeId, String agentId, String response) {
        return given().contentType("application/json")
                .body(Map.of("challenge_id", challengeId, "agent_id", agentId, "response", response))
                .post("/v1/auth/pgp/verify").then();
    }

    private static String[] newChallenge(PgpAgent pgp) {
        var response = challenge(pgp.agent().id()).statusCode(200)
                .body("encrypted_challenge", startsWith("-----BEGIN PGP MESSAGE-----")).extract();
        return new String[] {response.path("challenge_id"), response.path("encrypted_challenge")};
    }

    @Test
    void theKeyHolderGetsTokensAtTrustLevelThree() throws Exception {
        PgpAgent pgp = pgpAgent();
        await().atMost(Duration.ofSeconds(10)).until(() -> challenge(pgp.agent().id()).extract().statusCode() == 200);
        String[] challenge = newChallenge(pgp);
        String secret = pgp.key().decrypt(challenge[1]);
        var response = answer(challenge[0], pgp.agent().id(), secret).statusCode(200)
                .body("verified", equalTo(true)).body("agent.id", equalTo(pgp.agent().id()))
                .body("token.refresh_token", startsWith("mnd_rt_")).extract();
        SignedJWT jwt = SignedJWT.parse(response.path("token.access_token"));
        assertEquals(3L, jwt.getJWTClaimsSet().getLongClaim("trust_level"));
        assertEquals(null, jwt.getJWTClaimsSet().getClaim("fingerprint"), "no claim profile in this tenant");
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode verified = reader.awaitEvent(e -> "agent.verified".equals(e.path("type").asText())
                    && pgp.agent().id().equals(e.path("subject").asText())
                    && "pgp_challenge".equals(e.path("data").path("client_auth_method").asText()), Duration.ofSeconds(15));
            assertEquals(false, verified.toString().contains(secret), "the secret never reaches an event");
        }
        // Used once.
        answer(challenge[0], pgp.agent().id(), secret).statusCode(400).body("code", equalTo("invalid_grant"));
    }

    @Test
    void aClaimProfileAddsTheFingerprintOfTheKeyTheChallengeProved() throws Exception {
        PgpAgent pgp = pgpAgent("ten_claims");
        await().atMost(Duration.ofSeconds(10)).until(() -> challenge(pgp.agent().id()).extract().statusCode() == 200);
        String[] challenge = newChallenge(pgp);
        String token = answer(challenge[0], pgp.agent().id(), pgp.key().decrypt(challenge[1])).statusCode(200)
                .extract().path("token.access_token");
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertEquals(pgp.key().fingerprint(false), claims.getStringClaim("fingerprint"));
        assertEquals(pgp.agent().id(), claims.getStringClaim("agent_id"));
    }

    @Test
    void agentsDoNotOnboardThemselvesWhereNoTenantAllowsIt() throws Exception {
        PgpAgent pgp = pgpAgent();
        given().contentType("application/json").body(Map.of("pgp_public_key", pgp.armored()))
                .post("/v1/auth/pgp/register").then().statusCode(403).body("code", equalTo("self_registration_off"));
        given().contentType("application/json").body(Map.of("pgp_public_key", pgp.armored(), "tenant_id", "ten_claims"))
                .post("/v1/auth/pgp/register").then().statusCode(403).body("code", equalTo("self_registration_off"));
    }

    @Test
    void wrongAnswersOtherAgentsAndRevokedKeysAreRefused() throws Exception {
        PgpAgent pgp = pgpAgent();
        PgpAgent other = pgpAgent();
        await().atMost(Duration.ofSeconds(10)).until(() -> challenge(other.agent().id()).extract().statusCode() == 200);

        String[] challenge = newChallenge(pgp);
        String secret = pgp.key().decrypt(challenge[1]);
        answer(challenge[0], pgp.agent().id(), secret + "x").statusCode(400).body("code", equalTo("invalid_grant"));
        answer(challenge[0], pgp.agent().id(), secret).statusCode(400).body("code", equalTo("invalid_grant"));

        // Another agent cannot answer (or read) this agent's challenge.
        String[] mine = newChallenge(pgp);
        answer(mine[0], other.agent().id(), pgp.key().decrypt(mine[1])).statusCode(400);

        String[] beforeRevocation = newChallenge(pgp);
        String eventId = IdentityFixtures.publishPgpKey(pgp.agent(), pgp.credentialId(),
                pgp.key().fingerprint(false), pgp.armored(), "revoked");
        await().atMost(Duration.ofSeconds(10)).until(() -> IdentityFixtures.processed(eventId));
        answer(beforeRevocation[0], pgp.agent().id(), pgp.key().decrypt(beforeRevocation[1])).statusCode(400)
                .body("code", equalTo("invalid_grant"));
        challenge(pgp.agent().id()).statusCode(404).body("code", equalTo("no_pgp_key"));

        TestAgent withoutKey = IdentityFixtures.registerAgent(PERMISSIONS);
        // Once the projection has the agent, the refusal says what is missing.
        await().atMost(Duration.ofSeconds(10)).until(() -> "no_pgp_key".equals(challenge(withoutKey.id()).extract().path("code")));
        challenge(withoutKey.id()).statusCode(404);
        challenge("agt_unknown").statusCode(404).body("code", equalTo("agent_not_found"));
        answer("pgpc_unknown", pgp.agent().id(), "x").statusCode(400).body("code", equalTo("invalid_grant"));
        given().contentType("application/json").body(Map.of()).post("/v1/auth/pgp/challenge").then().statusCode(400);
    }
}
