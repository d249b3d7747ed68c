package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.testsupport.ClientKey;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 9449: proofs at the token endpoint, bound tokens, bound refresh families, bound use. */
@QuarkusTest
class DpopIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read");
    private static final String TOKEN_URL = "http://token.test/oauth2/token";
    private static final String REVOKE_ALL_URL = "http://token.test/v1/auth/revoke-tokens";

    static ValidatableResponse token(TestAgent agent, String proof) {
        var request = given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials");
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.post("/oauth2/token").then();
    }

    private static void refused(TestAgent agent, String proof) {
        token(agent, proof).statusCode(400).body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void aValidProofBindsTheTokenToItsKey() throws Exception {
        ClientKey key = ClientKey.ec();
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        var response = token(agent, key.proof("POST", TOKEN_URL, null)).statusCode(200)
                .body("token_type", equalTo("DPoP")).header("DPoP-Nonce", notNullValue()).extract();
        SignedJWT jwt = SignedJWT.parse(response.path("access_token"));
        assertEquals(Map.of("jkt", key.thumbprint()), jwt.getJWTClaimsSet().getJSONObjectClaim("cnf"));
        IntrospectionIT.introspect(agent, response.path("access_token")).body("active", equalTo(true))
                .body("token_type", equalTo("DPoP")).body("cnf.jkt", equalTo(key.thumbprint()));
        // Ed25519 proofs too.
        ClientKey ed = ClientKey.ed25519();
        token(agent, ed.proof("POST", TOKEN_URL, null)).statusCode(200).body("token_type", equalTo("DPoP"));
    }

    @Test
    void badProofsAreRefused() throws Exception {
        ClientKey key = ClientKey.ec();
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String proof = key.proof("POST", TOKEN_URL, null);
        token(agent, proof).statusCode(200);
        refused(agent, proof);
        refused(agent, key.proof("POST", "http://token.test/oauth2/introspect", null));
        refused(agent, key.proof("GET", TOKEN_URL, null));
        long now = System.currentTimeMillis();
        refused(agent, key.sign(key.proofHeader().build(),
                key.proofClaims("POST", TOKEN_URL, null).issueTime(new Date(now - 600_000)).build()));
        refused(agent, key.sign(key.proofHeader().build(),
                key.proofClaims("POST", TOKEN_URL, null).issueTime(new Date(now + 600_000)).build()));
        refused(agent, key.sign(key.proofHeader().type(JOSEObjectType.JWT).build(),
                key.proofClaims("POST", TOKEN_URL, null).build()));
        refused(agent, withPrivateJwk(key));
        refused(agent, key.sign(key.proofHeader().jwk(ClientKey.ec().publicJwk()).build(),
                key.proofClaims("POST", TOKEN_URL, null).build()));
        refused(agent, key.sign(key.proofHeader().build(), key.proofClaims("POST", TOKEN_URL, null).jwtID(null).build()));
        refused(agent, "not.a.proof");
        given().auth().preemptive().basic(agent.id(), agent.apiKey()).contentType("application/x-www-form-urlencoded")
                .header("DPoP", key.proof("POST", TOKEN_URL, null)).header("DPoP", key.proof("POST", TOKEN_URL, null))
                .body("grant_type=client_credentials").post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_dpop_proof"));
    }

    /** A proof whose header carries the private key (client libraries refuse to build one, so by hand). */
    private static String withPrivateJwk(ClientKey key) throws Exception {
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + key.privateEcJwk().toJSONString() + "}";
        String input = Base64URL.encode(header) + "." + Base64URL.encode(
                key.proofClaims("POST", TOKEN_URL, null).build().toString());
        return input + "." + new ECDSASigner(key.privateEcJwk()).sign(new JWSHeader(JWSAlgorithm.ES256),
                input.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aStaleNonceIsAnsweredWithAFreshOneThatWorks() {
        ClientKey key = ClientKey.ec();
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String nonce = token(agent, key.sign(key.proofHeader().build(),
                key.proofClaims("POST", TOKEN_URL, null).claim("nonce", "stale").build()))
                .statusCode(400).body("error", equalTo("use_dpop_nonce")).extract().header("DPoP-Nonce");
        token(agent, key.sign(key.proofHeader().build(), key.proofClaims("POST", TOKEN_URL, null).claim("nonce", nonce).build()))
                .statusCode(200).body("token_type", equalTo("DPoP"));
    }

    @Test
    void aBoundFamilyRefreshesOnlyWithItsKey() {
        ClientKey key = ClientKey.ec();
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS, "ten_ccrefresh", "pro");
        String refreshToken = token(agent, key.proof("POST", TOKEN_URL, null)).statusCode(200)
                .extract().path("refresh_token");
        refresh(agent, refreshToken, null).statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(agent, refreshToken, ClientKey.ec().proof("POST", TOKEN_URL, null)).statusCode(400)
                .body("error", equalTo("invalid_grant"));
        refresh(agent, refreshToken, key.proof("POST", TOKEN_URL, null)).statusCode(200)
                .body("token_type", equalTo("DPoP"));
    }

    private static ValidatableResponse refresh(TestAgent agent, String refreshToken, String proof) {
        var request = given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refreshToken);
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.post("/oauth2/token").then();
    }

    @Test
    void aBoundTokenIsUsableOnlyWithAProofForThatRequestAndToken() {
        ClientKey key = ClientKey.ec();
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String token = token(agent, key.proof("POST", TOKEN_URL, null)).statusCode(200).extract().path("access_token");
        revokeAll("Bearer " + token, null).statusCode(401).body("code", equalTo("invalid_token"));
        revokeAll("DPoP " + token, null).statusCode(401).body("code", equalTo("invalid_token"));
        revokeAll("DPoP " + token, key.proof("POST", REVOKE_ALL_URL, null)).statusCode(400)
                .body("code", equalTo("invalid_dpop_proof"));
        revokeAll("DPoP " + token, key.proof("POST", REVOKE_ALL_URL, "another-token")).statusCode(400)
                .body("code", equalTo("invalid_dpop_proof"));
        revokeAll("DPoP " + token, ClientKey.ec().proof("POST", REVOKE_ALL_URL, token)).statusCode(401)
                .body("code", equalTo("invalid_token"));
        IntrospectionIT.introspect(agent, token).body("active", equalTo(true));
        revokeAll("DPoP " + token, key.proof("POST", REVOKE_ALL_URL, token)).statusCode(200)
                .body("agent_id", equalTo(agent.id()));
        IntrospectionIT.introspect(agent, token).body("active", equalTo(false));
    }

    static ValidatableResponse revokeAll(String authorization, String proof) {
        var request = given().contentType("application/json").header("Authorization", authorization).body(Map.of());
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.post("/v1/auth/revoke-tokens").then();
    }
}
