package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.TypeIds;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Claim profiles, for backends written against the systems Mandate replaces: off by default, per tenant
 * (configuration) or per resource (its registration), RFC 9068's claims always there and never replaced.
 */
@QuarkusTest
class ClaimProfileIT {

    private static final String METADATA = "{\"team\":\"blue\",\"iss\":\"https://evil.example\",\"region\":\"eu\"}";

    private static JWTClaimsSet token(TestAgent agent, String form) throws Exception {
        String jwt = given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials" + form)
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
        return SignedJWT.parse(jwt).getJWTClaimsSet();
    }

    @Test
    void aTenantsProfileAddsItsClaimsAndNeverReplacesMandatesOwn() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgentWithMetadata(List.of("read:reports", "write:reports"),
                "ten_claims", METADATA);
        JWTClaimsSet claims = token(agent, "&scope=read:reports%20write:reports");
        assertEquals(agent.id(), claims.getStringClaim("agent_id"));
        assertEquals(List.of("read:reports", "write:reports"), claims.getStringListClaim("scopes"));
        assertEquals("read:reports write:reports", claims.getStringClaim("scope"));
        assertEquals("blue", claims.getStringClaim("team"));
        assertEquals("http://token.test", claims.getIssuer(), "metadata never replaces iss");
        assertNull(claims.getClaim("region"), "only the keys the profile names");
        assertNull(claims.getClaim("fingerprint"), "no PGP key proven by this request");
    }

    @Test
    void withoutAProfileTokensCarryRfc9068ClaimsOnly() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgentWithMetadata(List.of("read:reports"),
                "ten_" + TypeIds.randomToken(8), METADATA);
        JWTClaimsSet claims = token(agent, "");
        assertNull(claims.getClaim("agent_id"));
        assertNull(claims.getClaim("scopes"));
        assertNull(claims.getClaim("team"));
        for (String claim : List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope")) {
            assertEquals(true, claims.getClaims().containsKey(claim), claim);
        }
    }

    @Test
    void aResourcesOwnProfileReplacesTheTenantsForItsTokens() throws Exception {
        String uri = "https://" + TypeIds.randomToken(6) + ".example.com/api";
        IdentityFixtures.publishResource("resource.registered", "ten_claims", TypeIds.newId("res"), uri,
                Map.of("read:reports", List.of()), null, false, 1, List.of("scopes", "metadata.region"));
        TestAgent agent = IdentityFixtures.registerAgentWithMetadata(List.of("read:reports"), "ten_claims", METADATA);
        JWTClaimsSet claims = token(agent, "&resource=" + URLEncoder.encode(uri, StandardCharsets.UTF_8));
        assertEquals(List.of("read:reports"), claims.getStringListClaim("scopes"));
        assertEquals("eu", claims.getStringClaim("region"));
        assertNull(claims.getClaim("agent_id"), "the tenant's profile does not count for this resource");
        assertNull(claims.getClaim("team"));

        String open = "ten_" + TypeIds.randomToken(8);
        String other = "https://" + TypeIds.randomToken(6) + ".example.com/api";
        IdentityFixtures.publishResource("resource.registered", open, TypeIds.newId("res"), other,
                Map.of("read:reports", List.of()), null, false, 1, List.of("agent_id"));
        TestAgent elsewhere = IdentityFixtures.registerAgentWithMetadata(List.of("read:reports"), open, METADATA);
        assertEquals(elsewhere.id(), token(elsewhere, "&resource=" + URLEncoder.encode(other, StandardCharsets.UTF_8))
                .getStringClaim("agent_id"));
    }
}
