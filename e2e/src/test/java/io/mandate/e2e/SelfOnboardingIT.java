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
import io.mandate.testsupport.TopicReader;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
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

    private static PGPKeyPair key() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                generator.generateKeyPair(), new Date());
    }

    private static String armored(PGPKeyPair key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            key.getPublicKey().encode(armored);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** What the agent does with its private key. */
    private static String decrypt(String armored, PGPKeyPair key) throws Exception {
        JcaPGPObjectFactory factory = new JcaPGPObjectFactory(PGPUtil.getDecoderStream(
                new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII))));
        Object first = factory.nextObject();
        PGPEncryptedDataList list = first instanceof PGPEncryptedDataList l ? l : (PGPEncryptedDataList) factory.nextObject();
        PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) list.get(0);
        var clear = data.getDataStream(new JcePublicKeyDataDecryptorFactoryBuilder()
                .setProvider(new BouncyCastleProvider()).build(key.getPrivateKey()));
        PGPLiteralData literal = (PGPLiteralData) new JcaPGPObjectFactory(clear).nextObject();
        return new String(literal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Response post(String path, Map<String, Object> body) {
        return given().baseUri(token.url()).contentType(ContentType.JSON).body(body).post(path);
    }

    @Test
    void anAgentWithNothingButAPgpKeyOnboardsItselfAndIsAudited() throws Exception {
        PGPKeyPair key = key();
        String fingerprint = HexFormat.of().withUpperCase().formatHex(key.getPublicKey().getFingerprint());
        ExtractableResponse<Response> started = post("/v1/auth/pgp/register",
                Map.of("pgp_public_key", armored(key), "name", "swarm-bot")).then().statusCode(201)
                .body("fingerprint", equalTo(fingerprint))
                .body("encrypted_challenge", startsWith("-----BEGIN PGP MESSAGE-----")).extract();
        String secret = decrypt(started.path("encrypted_challenge"), key);

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
        post("/v1/auth/pgp/register", Map.of("pgp_public_key", armored(key))).then().statusCode(409)
                .body("code", equalTo("credential_exists"));
        // A wrong answer creates nothing.
        PGPKeyPair other = key();
        String challenge = post("/v1/auth/pgp/register", Map.of("pgp_public_key", armored(other))).then().statusCode(201)
                .extract().path("challenge_id");
        post("/v1/auth/pgp/register/verify", Map.of("challenge_id", challenge, "response", "guess")).then()
                .statusCode(400).body("code", equalTo("invalid_grant"));
        post("/v1/auth/pgp/register", Map.of("pgp_public_key", "not a key")).then().statusCode(400)
                .body("code", equalTo("invalid_pgp_key"));
    }
}
