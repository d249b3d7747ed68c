package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.ClientKey;
import io.mandate.testsupport.TopicReader;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7523 client authentication with the agent's registered public keys. */
@QuarkusTest
class PrivateKeyJwtIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read");
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);

    static ValidatableResponse token(String assertion) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", assertion)
                .post("/oauth2/token").then();
    }

    private static void refusedFor(TestAgent agent, String assertion, String reason) {
        token(assertion).statusCode(401).body("error", equalTo("invalid_client"));
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode failed = reader.awaitEvent(e -> "agent.verification_failed".equals(e.path("type").asText())
                    && agent.id().equals(e.path("subject").asText())
                    && reason.equals(e.path("data").path("reason").asText()), EVENT_TIMEOUT);
            org.junit.jupiter.api.Assertions.assertFalse(failed.toString().contains(assertion));
        }
    }

    @Test
    void ecAndEd25519KeysAuthenticateAndTheEventSaysHow() {
        for (ClientKey key : List.of(ClientKey.ec(), ClientKey.ed25519())) {
            TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
            IdentityFixtures.publishPublicKey(agent, key.publicJwk(), "active");
            String jwt = token(key.assertionFor(agent.id())).statusCode(200).extract().path("access_token");
            // No kid: every registered key of the agent is tried.
            token(key.sign(key.header().build(), key.assertion(agent.id()).build())).statusCode(200);
            try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
                JsonNode verified = reader.awaitEvent(TopicReader.typeAndSubject("agent.verified", agent.id()), EVENT_TIMEOUT);
                org.junit.jupiter.api.Assertions.assertEquals("private_key_jwt",
                        verified.path("data").path("client_auth_method").asText());
            }
            IntrospectionIT.introspect(agent, jwt).body("active", equalTo(true));
        }
    }

    @Test
    void aReplayedAssertionIsRefused() {
        ClientKey key = ClientKey.ec();
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        IdentityFixtures.publishPublicKey(agent, key.publicJwk(), "active");
        String assertion = key.assertionFor(agent.id());
        token(assertion).statusCode(200);
        refusedFor(agent, assertion, "assertion_replayed");
    }

    @Test
    void badAssertionsAreRefusedWithTheirReason() throws Exception {
        ClientKey key = ClientKey.ec();
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        IdentityFixtures.publishPublicKey(agent, key.publicJwk(), "active");
        token(key.assertionFor(agent.id())).statusCode(200);
        JWSHeader header = key.header().keyID(key.thumbprint()).build();
        Date now = new Date();

        refusedFor(agent, key.sign(header, key.assertion(agent.id()).expirationTime(new Date(now.getTime() - 60_000)).build()),
                "assertion_expired");
        refusedFor(agent, key.sign(header, key.assertion(agent.id()).expirationTime(new Date(now.getTime() + 3_600_000)).build()),
                "assertion_lifetime_too_long");
        refusedFor(agent, key.sign(header, key.assertion(agent.id()).audience("https://elsewhere.example/token").build()),
                "assertion_audience_mismatch");
        refusedFor(agent, key.sign(header, key.assertion(agent.id()).jwtID(null).build()), "assertion_without_jti");
        refusedFor(agent, key.sign(header, key.assertion(agent.id()).notBeforeTime(new Date(now.getTime() + 120_000)).build()),
                "assertion_not_yet_valid");
        // Signed by a key that is not the agent's, under the agent's kid.
        ClientKey stranger = ClientKey.ec();
        refusedFor(agent, stranger.sign(header, stranger.assertion(agent.id()).build()), "assertion_signature_invalid");
        // HS256 with the agent's public key as the secret.
        byte[] secret = Arrays.copyOf(key.publicJwk().toJSONString().getBytes(StandardCharsets.UTF_8), 64);
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.thumbprint()).build(),
                key.assertion(agent.id()).build());
        hmac.sign(new MACSigner(secret));
        refusedFor(agent, hmac.serialize(), "assertion_signature_invalid");
        // alg none.
        String[] parts = key.assertionFor(agent.id()).split("\\.");
        String none = com.nimbusds.jose.util.Base64URL.encode("{\"alg\":\"none\"}") + "." + parts[1] + ".";
        token(none).statusCode(401).body("error", equalTo("invalid_client"));
        // Someone else's id in sub.
        refusedFor(agent, key.sign(header, key.assertion(agent.id()).subject("agt_other").build()),
                "assertion_subject_mismatch");
        token("not-a-jwt").statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aRevokedKeyStopsAuthenticatingWithinOneSecond() {
        ClientKey key = ClientKey.ed25519();
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String credentialId = IdentityFixtures.publishPublicKey(agent, key.publicJwk(), "active");
        token(key.assertionFor(agent.id())).statusCode(200);
        IdentityFixtures.publishPublicKey(agent, credentialId, key.publicJwk(), "revoked");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> token(key.assertionFor(agent.id())).extract().statusCode() == 401);
        refusedFor(agent, key.assertionFor(agent.id()), "credential_revoked");
    }

    @Test
    void mixingMethodsOrAWrongAssertionTypeIsABadRequest() {
        ClientKey key = ClientKey.ec();
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        given().auth().preemptive().basic(agent.id(), agent.apiKey()).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", key.assertionFor(agent.id()))
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:example:saml").formParam("client_assertion", "x")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
    }
}
