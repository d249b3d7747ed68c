package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.delegation;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.register;
import static io.mandate.e2e.Platform.requestToken;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.mandate.e2e.Platform.Agent;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A human lends authority down a three-hop chain, the last agent exchanges it at token-service, and
 * revoking the middle agent in identity-service ends that token through delegation-service: three
 * services over real Kafka, within a second.
 */
class DelegationCascadeIT {

    @BeforeAll
    static void platform() throws Exception {
        Platform.start();
    }

    /** POSTs until delegation-service has seen the parties (their events are on their way), then expects 201. */
    private static Response lend(String bearer, Map<String, Object> body) {
        return await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(delegation.url()).header("Authorization", bearer)
                        .contentType(ContentType.JSON).body(body).post("/v1/delegations"), r -> r.statusCode() != 404
                        && !"authority_unknown".equals(r.path("code")));
    }

    private static String bearer(Agent agent) {
        return "Bearer " + requestToken(agent).then().statusCode(200).extract().<String>path("access_token");
    }

    private static boolean active(Agent caller, String accessToken) {
        return given().baseUri(token.url()).auth().preemptive().basic(caller.id(), caller.apiKey())
                .contentType("application/x-www-form-urlencoded").formParam("token", accessToken)
                .post("/oauth2/introspect").then().statusCode(200).extract().<Boolean>path("active");
    }

    private static Response exchange(Agent actor, String delegationToken) {
        return given().baseUri(token.url()).auth().preemptive().basic(actor.id(), actor.apiKey())
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .formParam("subject_token", delegationToken)
                .formParam("subject_token_type", "urn:mandate:params:oauth:token-type:delegation")
                .post("/oauth2/token");
    }

    @Test
    void revokingTheMiddleAgentEndsTheLastAgentsDelegatedTokenWithinASecond() throws Exception {
        String username = "e2e-lender-" + Long.toString(System.nanoTime(), 36);
        String password = "correct horse battery staple";
        String userId = given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("username", username, "email", username + "@example.com", "password", password,
                        "roles", List.of("owner"), "permissions", List.of("crm:*:*")))
                .post("/v1/users").then().statusCode(201).extract().path("id");
        Response login = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(token.url()).contentType(ContentType.JSON)
                        .body(Map.of("username", username, "password", password)).post("/v1/auth/login"),
                        r -> r.statusCode() == 200);
        String owner = "Bearer " + login.path("token");
        Agent a = register("e2e-lender-a");
        Agent b = register("e2e-lender-b");
        Agent c = register("e2e-lender-c");
        Agent resourceServer = register("e2e-resource-server");

        Map<String, Object> root = new HashMap<>(Map.of("agent_id", a.id(), "scopes", List.of("crm:contacts:read"),
                "expires_in", 600, "max_depth", 3));
        Response first = lend(owner, root);
        first.then().statusCode(201);
        Response second = lend(bearer(a), Map.of("agent_id", b.id(), "scopes", List.of("crm:contacts:read"),
                "expires_in", 300, "parent_id", first.path("delegation.id")));
        second.then().statusCode(201);
        Response third = lend(bearer(b), Map.of("agent_id", c.id(), "scopes", List.of("crm:contacts:read"),
                "expires_in", 120, "parent_id", second.path("delegation.id")));
        third.then().statusCode(201);

        // C acts for the human through B and A: the nested act is the chain, innermost first hop.
        Response exchanged = exchange(c, third.path("delegation_token"));
        exchanged.then().statusCode(200).body("scope", equalTo("crm:contacts:read"));
        String delegated = exchanged.path("access_token");
        var claims = SignedJWT.parse(delegated).getJWTClaimsSet();
        assertEquals(userId, claims.getSubject());
        assertEquals(Map.of("sub", c.id(), "act", Map.of("sub", b.id(), "act", Map.of("sub", a.id()))),
                claims.getJSONObjectClaim("act"));
        assertTrue(active(resourceServer, delegated));

        // identity-service revokes B; delegation-service revokes B's grants and all below; token-service follows.
        given().baseUri(identity.url()).header("Authorization", ADMIN).post("/v1/agents/" + b.id() + "/revoke")
                .then().statusCode(200);
        long revokedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> !active(resourceServer, delegated));
        long inactiveAfterMs = (System.nanoTime() - revokedAt) / 1_000_000;
        exchange(c, third.path("delegation_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        System.out.printf("delegated token inactive %d ms after the middle agent was revoked%n", inactiveAfterMs);

        // The first link, which B took no part in, still stands.
        given().baseUri(delegation.url()).header("Authorization", owner).get("/v1/delegations/" + first.path("delegation.id"))
                .then().statusCode(200).body("status", equalTo("active"));
        given().baseUri(delegation.url()).header("Authorization", owner)
                .get("/v1/delegations/" + third.path("delegation.id")).then().statusCode(200)
                .body("status", equalTo("revoked"));
    }
}
