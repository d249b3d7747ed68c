package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.eventing.envelope.Topics;
import io.mandate.jose.ClientSignatures;
import io.mandate.testsupport.TopicReader;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rotation without a gap for resource servers, per-tenant algorithms, and taking a key out at once. */
@QuarkusTest
@TestProfile(SigningKeyIT.FastRotation.class)
class SigningKeyIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read");
    private static final String ADMIN = "Bearer test-admin-token";

    /** Caches live 2 s, keys reload every second, tokens live 10 s: a whole key life cycle fits in a test. */
    public static class FastRotation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mandate.token.jwks-max-age", "2s", "mandate.token.key-refresh-interval", "1s",
                    "mandate.token.access-token-lifetime", "10s", "mandate.token.human-token-lifetime", "10s",
                    "mandate.token.clock-skew", "1s",
                    "mandate.token.tenants.ten_eddsa.signing-algorithm", "EdDSA",
                    "mandate.token.tenants.ten_rsa.signing-algorithm", "RS256");
        }
    }

    private static SignedJWT token(TestAgent agent) throws Exception {
        return SignedJWT.parse(IntrospectionIT.token(agent));
    }

    private static JWKSet jwks() throws Exception {
        return JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
    }

    /** The value of a metric on {@code /q/metrics}, on the line whose labels contain {@code labels}. */
    private static double metric(String name, String labels) {
        String exposition = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String line = exposition.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> l.contains(labels)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " with " + labels + " is not exposed"));
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static boolean verifiesWithJwks(SignedJWT jwt) throws Exception {
        var key = jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
        return key != null && ClientSignatures.verify(jwt, key);
    }

    @Test
    void eachTenantGetsItsAlgorithm() throws Exception {
        Map<String, JWSAlgorithm> tenants = Map.of("ten_test", JWSAlgorithm.ES256, "ten_eddsa", JWSAlgorithm.EdDSA,
                "ten_rsa", JWSAlgorithm.RS256);
        for (var tenant : tenants.entrySet()) {
            TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS, tenant.getKey(), "pro");
            SignedJWT jwt = token(agent);
            assertEquals(tenant.getValue(), jwt.getHeader().getAlgorithm(), tenant.getKey());
            assertTrue(verifiesWithJwks(jwt), tenant.getKey());
            IntrospectionIT.introspect(agent, jwt.serialize()).body("active", equalTo(true));
        }
        given().get("/.well-known/openid-configuration").then()
                .body("access_token_signing_alg_values_supported", equalTo(List.of("ES256", "EdDSA", "RS256")));
    }

    @Test
    void aRotatedKeyIsPublishedBeforeItSignsAndTheOldOneStaysUntilItsTokensExpire() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        SignedJWT before = token(agent);
        String oldKid = before.getHeader().getKeyID();

        given().contentType("application/json").body(Map.of("algorithm", "ES256")).post("/v1/signing-keys/rotate")
                .then().statusCode(401).contentType("application/problem+json");
        var rotated = given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("algorithm", "ES256")).post("/v1/signing-keys/rotate").then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("algorithm", equalTo("ES256")).extract();
        String newKid = rotated.path("kid");
        Instant published = Instant.now();
        assertNotNull(jwks().getKeyByKeyId(newKid), "published at once");
        assertEquals(oldKid, token(agent).getHeader().getKeyID(), "but not signing yet");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> newKid.equals(token(agent).getHeader().getKeyID()));
        // What an alert compares: how long the signing key has signed, against the rotation interval.
        assertTrue(metric("mandate_token_signing_key_age_seconds", "alg=\"ES256\"") < 10, "the new key signs");
        assertEquals(30 * 24 * 3600, metric("mandate_token_signing_key_rotation_interval_seconds", ""));
        assertTrue(Duration.between(published, Instant.now()).compareTo(Duration.ofSeconds(2)) >= 0,
                "a cache that fetched JWKS just before the rotation had the key before its first token");
        assertTrue(verifiesWithJwks(before), "the old key is still published");
        IntrospectionIT.introspect(agent, before.serialize()).body("active", equalTo(true));
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode event = reader.awaitEvent(TopicReader.typeAndSubject("signing_key.rotated", newKid), Duration.ofSeconds(15));
            assertEquals(oldKid, event.path("data").path("previous_kid").asText());
            assertFalse(event.toString().contains("\"d\""), "no private key material in the event");
        }
        // Once every token it signed has expired (10 s) it leaves JWKS.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> jwks().getKeyByKeyId(oldKid) == null);
        List<Map<String, Object>> keys = given().header("Authorization", ADMIN).get("/v1/signing-keys").then()
                .statusCode(200).extract().path("items");
        Map<String, Object> old = keys.stream().filter(k -> oldKid.equals(k.get("kid"))).findFirst().orElseThrow();
        assertEquals("DISABLED", old.get("status"));
        assertNotNull(old.get("retired_at"));
        assertTrue(keys.stream().noneMatch(k -> k.containsKey("private_key") || k.containsKey("public_jwk")));
    }

    @Test
    void aDisabledKeyIsGoneAtOnceAndASuccessorSigns() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS, "ten_rsa", "pro");
        SignedJWT compromised = token(agent);
        String kid = compromised.getHeader().getKeyID();
        given().header("Authorization", ADMIN).post("/v1/signing-keys/" + kid + "/disable").then().statusCode(200)
                .body("status", equalTo("DISABLED"));
        assertNull(jwks().getKeyByKeyId(kid));
        IntrospectionIT.introspect(agent, compromised.serialize()).body("active", equalTo(false));
        SignedJWT next = token(agent);
        assertNotEquals(kid, next.getHeader().getKeyID());
        assertEquals(JWSAlgorithm.RS256, next.getHeader().getAlgorithm());
        assertTrue(verifiesWithJwks(next));

        given().header("Authorization", ADMIN).post("/v1/signing-keys/nokey/disable").then().statusCode(404);
        given().header("Authorization", ADMIN).contentType("application/json").body(Map.of("algorithm", "HS256"))
                .post("/v1/signing-keys/rotate").then().statusCode(400);
        given().header("Authorization", "Bearer wrong").get("/v1/signing-keys").then().statusCode(401);
    }
}
