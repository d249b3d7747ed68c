package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.delegation;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.SignedJWT;
import io.mandate.e2e.Platform.Agent;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scopes of the systems Mandate replaces, written as they are there, through all three services:
 * identity-service's catalogue and agents, a token by client_credentials, a person's grant in
 * delegation-service, and the token the agent exchanges it for.
 */
class ScopeFormatsIT {

    @BeforeAll
    static void platform() throws Exception {
        Platform.start();
    }

    /** A seed's scopes: the tenant's catalogue (entry → implied), what the agent and its owner hold, what is asked. */
    record Seed(String name, Map<String, List<String>> catalogue, List<String> agentHolds, List<String> ownerHolds,
            String scope) {

        @Override
        public String toString() {
            return name + " " + scope;
        }
    }

    static List<Seed> seeds() {
        Map<String, List<String>> tiers = new LinkedHashMap<>();
        tiers.put("basic", List.of());
        tiers.put("premium", List.of("basic"));
        tiers.put("admin", List.of("*"));
        Map<String, List<String>> files = new LinkedHashMap<>();
        files.put("files:read", List.of());
        files.put("files:write", List.of("files:read"));
        return List.of(
                new Seed("SpokeAgent", Map.of(), List.of("read:reports"), List.of("read:reports"), "read:reports"),
                new Seed("Proxyme", Map.of(), List.of("read", "write"), List.of("read"), "read"),
                new Seed("AgentUp tiers", tiers, List.of("admin"), List.of("premium"), "basic"),
                new Seed("AgentUp files", files, List.of("files:write"), List.of("files:write"), "files:read"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void aSeedsScopeWorksThroughClientCredentialsDelegationAndExchange(Seed seed) throws Exception {
        Tenant tenant = Tenant.create(seed.name());
        seed.catalogue().forEach(tenant::addPermission);
        Agent agent = tenant.register(seed.agentHolds());
        String owner = tenant.owner(seed.ownerHolds());

        clientCredentials(agent, seed.scope()).then().statusCode(200).body("scope", equalTo(seed.scope()));

        Response granted = lend(owner, Map.of("agent_id", agent.id(), "scopes", List.of(seed.scope()), "expires_in", 600));
        granted.then().statusCode(201);
        Response exchanged = exchange(agent, granted.path("delegation_token"), null);
        exchanged.then().statusCode(200).body("scope", equalTo(seed.scope()));
        assertEquals(granted.path("delegation.user_id"), SignedJWT.parse(exchanged.path("access_token"))
                .getJWTClaimsSet().getSubject());
    }

    @Test
    void removingAnImplicationCountsForTheNextTokenAndTheNextExchange() {
        Tenant tenant = Tenant.create("implications");
        tenant.addPermission("files:read", List.of());
        tenant.addPermission("files:write", List.of("files:read"));
        Agent agent = tenant.register(List.of("files:write"));
        String owner = tenant.owner(List.of("files:write"));
        clientCredentials(agent, "files:read").then().statusCode(200);
        Response granted = lend(owner, Map.of("agent_id", agent.id(), "scopes", List.of("files:read"), "expires_in", 600));
        granted.then().statusCode(201);
        exchange(agent, granted.path("delegation_token"), "files:read").then().statusCode(200);

        tenant.admin().body(Map.of("implies", List.of())).put("/v1/permissions/files:write").then().statusCode(200);
        long changedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> clientCredentials(agent, "files:read").statusCode() == 400);
        System.out.printf("an implication removed counted for new tokens after %d ms%n",
                (System.nanoTime() - changedAt) / 1_000_000);
        clientCredentials(agent, "files:read").then().body("error", equalTo("invalid_scope"))
                .body("error_description", equalTo("not held: files:read"));
        exchange(agent, granted.path("delegation_token"), "files:read").then().statusCode(400)
                .body("error", equalTo("invalid_scope"));
        clientCredentials(agent, "files:delete").then().statusCode(400)
                .body("error_description", equalTo("unknown scope: files:delete"));
        lend(owner, Map.of("agent_id", agent.id(), "scopes", List.of("files:read"), "expires_in", 600)).then()
                .statusCode(403).body("code", equalTo("scope_not_covered"));
    }

    /** Tokens are asked for until token-service has seen the agent (its events are on their way). */
    private static Response clientCredentials(Agent agent, String scope) {
        return await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(token.url()).auth().preemptive().basic(agent.id(), agent.apiKey())
                        .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                        .formParam("scope", scope).post("/oauth2/token"), r -> r.statusCode() != 401);
    }

    /** POSTs until delegation-service has seen the parties, then answers what it says. */
    private static Response lend(String bearer, Map<String, Object> body) {
        return await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(delegation.url()).header("Authorization", bearer)
                        .contentType(ContentType.JSON).body(body).post("/v1/delegations"), r -> r.statusCode() != 404
                        && !"authority_unknown".equals(r.path("code")));
    }

    private static Response exchange(Agent actor, String delegationToken, String scope) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", delegationToken,
                "subject_token_type", "urn:mandate:params:oauth:token-type:delegation"));
        if (scope != null) {
            form.put("scope", scope);
        }
        return given().baseUri(token.url()).auth().preemptive().basic(actor.id(), actor.apiKey())
                .contentType("application/x-www-form-urlencoded").formParams(form).post("/oauth2/token");
    }
}
