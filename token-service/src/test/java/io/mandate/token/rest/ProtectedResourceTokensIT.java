package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.TypeIds;
import io.mandate.testsupport.ClientKey;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tokens for a registered resource (RFC 8707): aud is its URI alone, its scopes only, its lifetime and
 * binding; refreshes keep it; another tenant's resource, or one removed, is invalid_target.
 */
@QuarkusTest
class ProtectedResourceTokensIT {

    private static final String TOKEN_URL = "http://token.test/oauth2/token";

    record Resource(String id, String uri, String tenant) {
    }

    private static Map<String, List<String>> toolScopes() {
        Map<String, List<String>> scopes = new LinkedHashMap<>();
        scopes.put("tools:list", List.of());
        scopes.put("tools:call", List.of("tools:list"));
        return scopes;
    }

    private static Resource register(String tenant, Integer lifetime, boolean dpopRequired) {
        Resource resource = new Resource(TypeIds.newId("res"), "https://" + TypeIds.randomToken(6) + ".example.com/mcp",
                tenant);
        IdentityFixtures.publishResource("resource.registered", tenant, resource.id(), resource.uri(), toolScopes(),
                lifetime, dpopRequired, 1);
        return resource;
    }

    private static ValidatableResponse token(TestAgent agent, String form, String proof) {
        var request = given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials" + form);
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.post("/oauth2/token").then();
    }

    private static String resource(Resource resource) {
        return "&resource=" + URLEncoder.encode(resource.uri(), StandardCharsets.UTF_8);
    }

    private static JWTClaimsSet claims(ValidatableResponse response) throws Exception {
        return SignedJWT.parse(response.extract().<String>path("access_token")).getJWTClaimsSet();
    }

    @Test
    void aTokenForAResourceNamesItAloneWithItsScopesAndLifetime() throws Exception {
        String tenant = "ten_" + TypeIds.randomToken(8);
        Resource mcp = register(tenant, 300, false);
        TestAgent agent = IdentityFixtures.registerAgent(List.of("tools:call", "files:read"), tenant, "pro");

        ValidatableResponse issued = token(agent, resource(mcp), null).statusCode(200).body("expires_in", equalTo(300))
                .body("scope", equalTo("tools:list tools:call"));
        JWTClaimsSet claims = claims(issued);
        assertEquals(List.of(mcp.uri()), claims.getAudience());
        assertEquals(300, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
        token(agent, resource(mcp) + "&scope=tools:list", null).statusCode(200).body("scope", equalTo("tools:list"));
        // Served from memory now: the same answer.
        assertEquals(List.of(mcp.uri()), claims(token(agent, resource(mcp), null).statusCode(200)).getAudience());

        token(agent, resource(mcp) + "&scope=files:read", null).statusCode(400).body("error", equalTo("invalid_scope"))
                .body("error_description", equalTo("unknown scope for " + mcp.uri() + ": files:read"));
        token(agent, resource(mcp) + "&audience=mandate", null).statusCode(400).body("error", equalTo("invalid_target"));
        TestAgent stranger = IdentityFixtures.registerAgent(List.of("tools:call"), "ten_" + TypeIds.randomToken(8), "pro");
        token(stranger, resource(mcp), null).statusCode(400).body("error", equalTo("invalid_target"));
        TestAgent filesOnly = IdentityFixtures.registerAgent(List.of("files:read"), tenant, "pro");
        token(filesOnly, resource(mcp), null).statusCode(400).body("error", equalTo("invalid_scope"))
                .body("error_description", equalTo("holds none of the scopes of " + mcp.uri()));
        // Without a resource, the token is Mandate's as before.
        assertEquals(List.of("mandate"), claims(token(agent, "", null).statusCode(200)).getAudience());
    }

    @Test
    void aResourceThatRequiresDpopGetsOnlyBoundTokens() throws Exception {
        String tenant = "ten_" + TypeIds.randomToken(8);
        Resource mcp = register(tenant, null, true);
        TestAgent agent = IdentityFixtures.registerAgent(List.of("tools:call"), tenant, "pro");
        token(agent, resource(mcp), null).statusCode(400).body("error", equalTo("invalid_dpop_proof"));
        ClientKey key = ClientKey.ec();
        ValidatableResponse bound = token(agent, resource(mcp), key.proof("POST", TOKEN_URL, null)).statusCode(200)
                .body("token_type", equalTo("DPoP")).body("expires_in", equalTo(900));
        assertEquals(Map.of("jkt", key.thumbprint()), claims(bound).getJSONObjectClaim("cnf"));
    }

    @Test
    void aRefreshKeepsTheResourceAndRefusesAnother() throws Exception {
        String tenant = "ten_ccrefresh"; // the tenant whose client_credentials come with a refresh token
        Resource mcp = register(tenant, 120, false);
        Resource other = register(tenant, null, false);
        TestAgent agent = IdentityFixtures.registerAgent(List.of("tools:call"), tenant, "pro");
        String refreshToken = token(agent, resource(mcp), null).statusCode(200).extract().path("refresh_token");

        RefreshTokenIT.oauthRefresh(agent, refreshToken, null, other.uri()).statusCode(400)
                .body("error", equalTo("invalid_target"));
        ValidatableResponse refreshed = RefreshTokenIT.oauthRefresh(agent, refreshToken, null, mcp.uri()).statusCode(200)
                .body("expires_in", equalTo(120)).body("scope", equalTo("tools:list tools:call"));
        assertEquals(List.of(mcp.uri()), claims(refreshed).getAudience());
    }

    @Test
    void aChangedOrRemovedResourceCountsForTheNextToken() throws Exception {
        String tenant = "ten_" + TypeIds.randomToken(8);
        Resource mcp = register(tenant, 300, false);
        TestAgent agent = IdentityFixtures.registerAgent(List.of("tools:call"), tenant, "pro");
        token(agent, resource(mcp), null).statusCode(200).body("expires_in", equalTo(300));

        IdentityFixtures.publishResource("resource.updated", tenant, mcp.id(), mcp.uri(), toolScopes(), 600, false, 2);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> token(agent, resource(mcp), null).extract().<Integer>path("expires_in") == 600);
        IdentityFixtures.publishResource("resource.updated", tenant, mcp.id(), mcp.uri(), toolScopes(), 60, false, 1);
        token(agent, resource(mcp), null).body("expires_in", equalTo(600)); // an older snapshot changes nothing

        IdentityFixtures.publishResource("resource.removed", tenant, mcp.id(), mcp.uri(), toolScopes(), 600, false, 3);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> token(agent, resource(mcp), null).extract().statusCode() == 400);
        token(agent, resource(mcp), null).body("error", equalTo("invalid_target"));
    }

    @Test
    void tokenServiceHostsTheMetadataOfTheResourcesThatAskForIt() {
        String tenant = "ten_" + TypeIds.randomToken(8);
        Resource mcp = register(tenant, null, false);
        String body = given().get("/.well-known/oauth-protected-resource/" + mcp.id()).then().statusCode(200)
                .contentType("application/json").header("Cache-Control", "public, max-age=60")
                .body("resource", equalTo(mcp.uri())).body("authorization_servers[0]", equalTo("http://token.test"))
                .extract().asString();
        assertTrue(body.contains("tools:call"), body);
        given().get("/.well-known/oauth-protected-resource/res_nothing").then().statusCode(404);
    }
}
