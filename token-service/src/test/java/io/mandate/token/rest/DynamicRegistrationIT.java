package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mandate.token.DelegationServer;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityServer;
import io.mandate.token.browser.Browser;
import io.mandate.token.rest.AuthorizationCodeIT.Pkce;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * RFC 7591 at {@code /oauth2/register} under each tenant policy (test profile: open, initial access
 * token, allow-list, off), with identity-service as a stand-in: what a client may register, where it goes,
 * that it then signs people in but gets no token of its own, and the rate limit.
 */
@QuarkusTest
@QuarkusTestResource(DelegationServer.class)
@QuarkusTestResource(IdentityServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DynamicRegistrationIT {

    private static Map<String, Object> metadata(String redirectUri, String method) {
        Map<String, Object> metadata = new HashMap<>(Map.of("client_name", "Registered notes client",
                "redirect_uris", List.of(redirectUri), "grant_types", List.of("authorization_code", "refresh_token"),
                "response_types", List.of("code"), "token_endpoint_auth_method", method));
        metadata.put("software_id", "ignored-by-mandate"); // unknown metadata is ignored (RFC 7591 §2)
        return metadata;
    }

    private static ValidatableResponse register(String initialAccessToken, Object body) {
        var request = given().contentType("application/json").body(body);
        if (initialAccessToken != null) {
            request.header("Authorization", "Bearer " + initialAccessToken);
        }
        return request.post("/oauth2/register").then();
    }

    private static String tenantOf(String agentId) {
        await().atMost(Duration.ofSeconds(15)).until(() -> IdentityFixtures.count(
                "select count(*) from agent_projection where agent_id = ?", agentId) == 1);
        return IdentityFixtures.string("select tenant_id from agent_projection where agent_id = ?", agentId);
    }

    @Test
    @Order(1)
    void anOpenTenantTakesAPublicClientThatThenSignsAPersonIn() {
        String clientId = register(null, metadata("http://127.0.0.1/callback", "none")).statusCode(201)
                .header("Cache-Control", "no-store")
                .body("client_id", startsWith("agt_")).body("client_secret", nullValue())
                .body("token_endpoint_auth_method", equalTo("none"))
                .body("redirect_uris", equalTo(List.of("http://127.0.0.1/callback")))
                .body("client_name", equalTo("Registered notes client"))
                .extract().path("client_id");
        assertEquals("ten_dcr_open", tenantOf(clientId));
        Pkce pkce = Pkce.create();
        new Browser().get("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback&state=s&scope=notes:read&code_challenge="
                + pkce.challenge() + "&code_challenge_method=S256").then().statusCode(303);
        given().get("/.well-known/oauth-authorization-server").then()
                .body("registration_endpoint", equalTo("http://token.test/oauth2/register"));
    }

    @Test
    @Order(2)
    void aConfidentialClientGetsASecretButNoTokenOfItsOwn() {
        var registered = register(null, metadata("https://app.example/cb", "client_secret_basic")).statusCode(201)
                .body("client_secret", notNullValue()).body("client_secret_expires_at", equalTo(0)).extract();
        String clientId = registered.path("client_id");
        String secret = registered.path("client_secret");
        tenantOf(clientId);
        await().atMost(Duration.ofSeconds(15)).until(() -> given().auth().preemptive().basic(clientId, secret)
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token").then().extract().statusCode() != 401);
        given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials").post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("unauthorized_client"));
    }

    @Test
    @Order(3)
    void anInitialAccessTokenNamesTheTenantAndEachPolicyHolds() {
        String clientId = register("iat-secret-for-tests", metadata("https://app.example/cb", "none")).statusCode(201)
                .extract().path("client_id");
        assertEquals("ten_dcr_iat", tenantOf(clientId));
        register("not-a-token", metadata("https://app.example/cb", "none")).statusCode(401)
                .body("error", equalTo("invalid_token"));
        register("off-secret-for-tests", metadata("https://app.example/cb", "none")).statusCode(403)
                .body("error", equalTo("access_denied"));
        register("list-secret-for-tests", metadata("https://elsewhere.example/cb", "none")).statusCode(400)
                .body("error", equalTo("invalid_redirect_uri"));
        String listed = register("list-secret-for-tests", metadata("https://app.example/cb", "none")).statusCode(201)
                .extract().path("client_id");
        assertEquals("ten_dcr_list", tenantOf(listed));
    }

    @Test
    @Order(4)
    void metadataForAnythingButSigningPeopleInIsRefused() {
        Map<String, Object> ownTokens = metadata("https://app.example/cb", "client_secret_basic");
        ownTokens.put("grant_types", List.of("client_credentials"));
        register(null, ownTokens).statusCode(400).body("error", equalTo("invalid_client_metadata"));
        Map<String, Object> noRedirect = metadata("https://app.example/cb", "none");
        noRedirect.remove("redirect_uris");
        register(null, noRedirect).statusCode(400).body("error", equalTo("invalid_redirect_uri"));
        Map<String, Object> keys = metadata("https://app.example/cb", "private_key_jwt");
        register(null, keys).statusCode(400).body("error", equalTo("invalid_client_metadata"));
        register(null, "{not json").statusCode(400).body("error", equalTo("invalid_client_metadata"));
    }

    @Test
    @Order(5)
    void registrationsFromOneAddressAreLimited() {
        ValidatableResponse last = null;
        for (int i = 0; i < 31; i++) {
            last = register(null, metadata("https://app.example/cb", "none"));
            if (last.extract().statusCode() == 429) {
                break;
            }
        }
        last.statusCode(429).header("Retry-After", notNullValue()).body("error", equalTo("too_many_requests"));
    }
}
