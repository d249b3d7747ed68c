package io.mandate.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.mandate.eventing.envelope.Topics;
import io.mandate.identity.TestKeys;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class PublicKeysAndTrustIT {

    private static final String ADMIN = "Bearer test-admin-token";
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);

    private static String register() {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "keyed-bot", "owner_email", "owner@example.com", "permissions",
                        List.of("crm:contacts:read")))
                .post("/v1/agents").then().statusCode(201).extract().path("agent.id");
    }

    private static io.restassured.response.ValidatableResponse addJwk(String agentId, Map<String, Object> jwk) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("jwk", jwk))
                .post("/v1/agents/" + agentId + "/credentials/public-keys").then();
    }

    private static io.restassured.response.ValidatableResponse addPgp(String agentId, String armored) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("public_key", armored))
                .post("/v1/agents/" + agentId + "/credentials/pgp-keys").then();
    }

    @Test
    void jwksAreCheckedOnUploadAndOnlyTheirIdIsPublic() throws Exception {
        String agentId = register();
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY);
                TopicReader credentials = TopicReader.of(Topics.IDENTITY_CREDENTIALS)) {
            String credentialId = addJwk(agentId, ec.toPublicJWK().toJSONObject()).statusCode(201)
                    .body("kind", equalTo("jwk")).body("algorithm", equalTo("ES256"))
                    .body("prefix", equalTo(ec.computeThumbprint().toString()))
                    .extract().path("id");
            JsonNode added = identity.awaitEvent(TopicReader.typeAndSubject("agent.credential_added", credentialId),
                    EVENT_TIMEOUT);
            assertFalse(added.toString().contains(ec.getX().toString()), "public events never carry the key");
            JsonNode verifier = credentials.awaitEvent(TopicReader.typeAndSubject("credential.verifier", credentialId),
                    EVENT_TIMEOUT);
            assertEquals("jwk", verifier.path("data").path("kind").asText());
            assertTrue(verifier.path("data").path("verifier").asText().contains(ec.getX().toString()));
            assertFalse(verifier.toString().contains(ec.getD().toString()));
        }
        addJwk(agentId, ec.toPublicJWK().toJSONObject()).statusCode(409).body("code", equalTo("credential_exists"));
        addJwk(agentId, new RSAKeyGenerator(2048).generate().toPublicJWK().toJSONObject()).statusCode(201)
                .body("algorithm", equalTo("RS256"));
        addJwk(agentId, ed25519Jwk(ed25519())).statusCode(201).body("algorithm", equalTo("EdDSA"));

        ECKey fresh = new ECKeyGenerator(Curve.P_256).generate();
        Map<String, Object> offCurve = new HashMap<>(fresh.toPublicJWK().toJSONObject());
        offCurve.put("y", fresh.getX().toString());
        Map<String, Map<String, Object>> refused = Map.of(
                "private part", fresh.toJSONObject(),
                "RSA 1024", new RSAKeyGenerator(1024, true).generate().toPublicJWK().toJSONObject(),
                "P-384", new ECKeyGenerator(Curve.P_384).generate().toPublicJWK().toJSONObject(),
                "symmetric", new OctetSequenceKeyGenerator(256).generate().toJSONObject(),
                "off the curve", offCurve,
                "encryption use", withField(fresh.toPublicJWK().toJSONObject(), "use", "enc"),
                "wrong alg", withField(fresh.toPublicJWK().toJSONObject(), "alg", "RS256"),
                "not a key", Map.of("kty", "EC", "crv", "P-256"));
        refused.forEach((what, jwk) -> addJwk(agentId, jwk).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_jwk")).body("errors[0].field", equalTo("jwk")));
        given().header("Authorization", ADMIN).get("/v1/agents/" + agentId + "/credentials").then().statusCode(200)
                .body("items.size()", equalTo(4));
    }

    @Test
    void pgpKeysMustBeRsa2048OrEd25519() throws Exception {
        String agentId = register();
        addPgp(agentId, armored(PublicKeyAlgorithmTags.RSA_GENERAL, rsa(3072))).statusCode(201)
                .body("kind", equalTo("pgp")).body("algorithm", equalTo("RSA-3072"));
        addPgp(agentId, armored(PublicKeyAlgorithmTags.EDDSA_LEGACY, ed25519())).statusCode(201)
                .body("algorithm", equalTo("Ed25519"));
        for (String bad : List.of(armored(PublicKeyAlgorithmTags.RSA_GENERAL, rsa(1024)),
                "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----\n",
                "just text")) {
            addPgp(agentId, bad).statusCode(400).body("code", equalTo("invalid_pgp_key"))
                    .body("errors[0].field", equalTo("public_key"));
        }
        given().header("Authorization", ADMIN).get("/v1/agents/" + agentId + "/credentials").then()
                .body("items.findAll { it.kind == 'pgp' }.size()", equalTo(2));
    }

    @Test
    void trustRisesToTwoWhenTheOwnerVouchesAndToThreeWithAProvenKey() throws Exception {
        String agentId = register();
        String self = "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(agentId,
                Map.of("tenant_id", "ten_default", "client_id", agentId), Duration.ofMinutes(5));
        // The agent cannot vouch for itself.
        given().header("Authorization", self).post("/v1/agents/" + agentId + "/verify").then().statusCode(403);
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            given().header("Authorization", ADMIN).post("/v1/agents/" + agentId + "/verify").then().statusCode(200)
                    .body("trust_level", equalTo(2));
            JsonNode updated = identity.awaitEvent(e -> "agent.updated".equals(e.path("type").asText())
                    && agentId.equals(e.path("subject").asText())
                    && e.path("data").path("agent").path("trust_level").asInt() == 2, EVENT_TIMEOUT);
            assertEquals(2, updated.path("data").path("agent").path("trust_level").asInt());
        }

        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String credentialId = addJwk(agentId, key.toPublicJWK().toJSONObject()).statusCode(201).extract().path("id");

        // A signature by another key spends the challenge and proves nothing.
        var wrong = challenge(self, agentId);
        prove(self, agentId, wrong.get("id"), credentialId, es256(new ECKeyGenerator(Curve.P_256).generate(),
                wrong.get("challenge"))).statusCode(400).body("code", equalTo("proof_invalid"));
        prove(self, agentId, wrong.get("id"), credentialId, es256(key, wrong.get("challenge"))).statusCode(409)
                .body("code", equalTo("challenge_spent"));
        // Signing something else than the challenge proves nothing either.
        var other = challenge(self, agentId);
        prove(self, agentId, other.get("id"), credentialId, es256(key, "something else")).statusCode(400);

        var good = challenge(self, agentId);
        prove(self, agentId, good.get("id"), credentialId, es256(key, good.get("challenge"))).statusCode(200)
                .body("trust_level", equalTo(3));
        // Trust never goes down through these endpoints.
        given().header("Authorization", ADMIN).post("/v1/agents/" + agentId + "/verify").then().body("trust_level",
                equalTo(3));
    }

    @Test
    void anEd25519KeyProvesPossessionToo() throws Exception {
        String agentId = register();
        KeyPair pair = ed25519();
        String credentialId = addJwk(agentId, ed25519Jwk(pair)).statusCode(201).extract().path("id");
        var challenge = challenge(ADMIN, agentId);
        String header = b64("{\"alg\":\"EdDSA\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64(challenge.get("challenge").getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        prove(ADMIN, agentId, challenge.get("id"), credentialId, header + "." + payload + "." + b64(signer.sign()))
                .statusCode(200).body("trust_level", equalTo(3));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .post("/v1/agents/" + agentId + "/credentials/" + credentialId + "/rotate").then().statusCode(409)
                .body("code", equalTo("credential_not_rotatable"));
    }

    private static Map<String, String> challenge(String bearer, String agentId) {
        return given().header("Authorization", bearer).post("/v1/agents/" + agentId + "/key-challenges").then()
                .statusCode(201).body("id", org.hamcrest.Matchers.startsWith("chl_")).extract().jsonPath()
                .getMap("", String.class, String.class);
    }

    private static io.restassured.response.ValidatableResponse prove(String bearer, String agentId, String challengeId,
            String credentialId, String signature) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body(Map.of("credential_id", credentialId, "signature", signature))
                .post("/v1/agents/" + agentId + "/key-challenges/" + challengeId + "/response").then();
    }

    private static String es256(ECKey key, String payload) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload(payload));
        jws.sign(new ECDSASigner(key));
        return jws.serialize();
    }

    private static KeyPair ed25519() {
        return TestKeys.generate("Ed25519", 0);
    }

    private static KeyPair rsa(int bits) {
        return TestKeys.generate("RSA", bits);
    }

    private static Map<String, Object> ed25519Jwk(KeyPair pair) {
        return TestKeys.ed25519Jwk(pair);
    }

    private static String armored(int algorithm, KeyPair pair) {
        return TestKeys.armored(algorithm, pair);
    }

    private static Map<String, Object> withField(Map<String, Object> jwk, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(jwk);
        changed.put(field, value);
        return changed;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
