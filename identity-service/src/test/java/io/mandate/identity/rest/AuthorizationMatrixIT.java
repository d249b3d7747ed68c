package io.mandate.identity.rest;

import static io.mandate.identity.rest.Principals.PLATFORM_ADMIN;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.identity.TestKeys;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every identity-service endpoint against every kind of caller. Tokens come from independently keyed
 * issuers running in the test (see {@link TestIssuers}); nothing here bypasses authentication.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT {

    private String tenantA;
    private String tenantB;
    private Principals.Human admin;
    private Principals.Human owner;
    private Principals.Human otherOwner;
    private Principals.Human auditor;
    private Principals.Human otherTenantAdmin;
    private Principals.Human victim;
    private String apiKeyCredential;
    private String jwkCredential;
    private String agentId;
    private final Map<String, String> callers = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    /** Once per class, but after Quarkus started (REST Assured knows the port only then). */
    @BeforeEach
    void setUp() {
        if (tenantA != null) {
            return;
        }
        tenantA = Principals.tenant(Principals.unique("acme"));
        tenantB = Principals.tenant(Principals.unique("globex"));
        admin = Principals.human(tenantA, Principals.unique("admin"), List.of("tenant_admin"), List.of());
        owner = Principals.human(tenantA, Principals.unique("owner"), List.of("owner"), List.of("crm:*:*"));
        otherOwner = Principals.human(tenantA, Principals.unique("owner2"), List.of("owner"), List.of("crm:*:*"));
        auditor = Principals.human(tenantA, Principals.unique("auditor"), List.of("auditor"), List.of());
        otherTenantAdmin = Principals.human(tenantB, Principals.unique("admin-b"), List.of("tenant_admin"), List.of());
        victim = Principals.human(tenantA, Principals.unique("victim"), List.of("owner"), List.of());
        agentId = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(Map.of("name", "matrix-bot", "owner_email", owner.email(), "permissions", List.of("crm:contacts:read")))
                .post("/v1/agents").then().statusCode(201).extract().path("agent.id");

        apiKeyCredential = given().header("Authorization", admin.bearer()).get("/v1/agents/" + agentId + "/credentials")
                .then().extract().path("items[0].id");
        jwkCredential = given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(Map.of("jwk", TestKeys.ed25519Jwk(TestKeys.generate("Ed25519", 0))))
                .post("/v1/agents/" + agentId + "/credentials/public-keys").then().statusCode(201).extract().path("id");
        callers.put("platform_admin", PLATFORM_ADMIN);
        callers.put("tenant_admin", admin.bearer());
        callers.put("owner", owner.bearer());
        callers.put("other_owner", otherOwner.bearer());
        callers.put("auditor", auditor.bearer());
        callers.put("agent_itself", Principals.agentToken(tenantA, agentId));
        callers.put("other_tenant_admin", otherTenantAdmin.bearer());
        callers.put("no_token", null);
        callers.put("expired", admin.bearer(Duration.ofMinutes(-5)));
        callers.put("unknown_key", "Bearer " + TestIssuer.named(TestIssuers.MANDATE).forged(admin.id(),
                Map.of("tenant_id", tenantA, "roles", List.of("tenant_admin"), "email", admin.email())));
    }

    /** Not asked (the request would change what later rows need). */
    private static final int SKIP = -1;

    private void check(String method, String path, Object body, int... expected) {
        check(method, path, () -> body, expected);
    }

    /**
     * Expected statuses in the order of {@link #callers}; the last three callers (no token, expired,
     * signed by an unknown key) always get 401.
     */
    private void check(String method, String path, Supplier<Object> bodies, int... expected) {
        List<String> names = new ArrayList<>(callers.keySet());
        for (int i = 0; i < names.size(); i++) {
            int want = i < expected.length ? expected[i] : 401;
            if (want == SKIP) {
                continue;
            }
            String name = names.get(i);
            Object body = bodies == null ? null : bodies.get();
            RequestSpecification request = given();
            if (name.equals("agent_itself")) {
                // Minted now: a token from before the agent's suspension stays refused after it is reactivated.
                request.header("Authorization", Principals.agentToken(tenantA, agentId));
            } else if (callers.get(name) != null) {
                request.header("Authorization", callers.get(name));
            }
            if (name.equals("platform_admin")) {
                request.header("Mandate-Tenant", tenantA);
            }
            if (body != null) {
                request.contentType(ContentType.JSON).body(body);
            }
            String target = path.replace("{agent}", agentId).replace("{tenant}", tenantA)
                    .replace("{credential}", apiKeyCredential);
            if (target.contains("{challenge}")) {
                target = target.replace("{challenge}", given().header("Authorization", admin.bearer())
                        .post("/v1/agents/" + agentId + "/key-challenges").then().statusCode(201).extract().path("id"));
            }
            Response response = request.request(method, target);
            if (response.statusCode() != want) {
                failures.add(method + " " + path + " as " + name + ": " + response.statusCode() + " (expected " + want
                        + ") " + response.body().asString());
            } else if (want >= 400) {
                assertEquals("application/problem+json", response.contentType(), method + " " + path + " as " + name);
            }
        }
    }

    @Test
    void everyEndpointAnswersEveryCallerAsItShould() {
        //                                         platform tenant  owner other  auditor agent other     none/expired/
        //                                         admin    admin          owner          itself tenant    unknown key
        check("GET", "/v1/agents", null,                 200, 200, 200, 200, 200, 403, 200);
        check("GET", "/v1/agents/{agent}", null,          200, 200, 200, 404, 200, 200, 404);
        check("PATCH", "/v1/agents/{agent}", Map.of("description", "changed"),
                                                         200, 200, 200, 404, 403, 403, 404);
        check("PUT", "/v1/agents/{agent}/permissions", Map.of("permissions", List.of("crm:contacts:read")),
                                                         200, 200, 200, 404, 403, 403, 404);
        check("PUT", "/v1/agents/{agent}/tier", Map.of("tier", "pro"),
                                                         200, 200, 403, 404, 403, 403, 404);
        // While suspended the agent is refused outright (401, AccessRevocationIT), whatever it asks.
        check("POST", "/v1/agents/{agent}/suspend", null, 200, 200, 200, 404, 403, SKIP, 404);
        check("POST", "/v1/agents/{agent}/reactivate", null, 200, 200, 200, 404, 403, SKIP, 404);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> given()
                .header("Authorization", Principals.agentToken(tenantA, agentId)).get("/v1/agents/" + agentId)
                .then().extract().statusCode() == 200);
        check("GET", "/v1/agents/{agent}/credentials", null, 200, 200, 200, 404, 200, 200, 404);
        check("POST", "/v1/agents/{agent}/credentials/api-keys", null,
                                                         201, 201, 201, 404, 403, 403, 404);
        check("POST", "/v1/agents", Map.of("name", "new-bot", "owner_email", owner.email(),
                "permissions", List.of("crm:contacts:read")), 201, 201, 201, 403, 403, 403, 201);
        check("GET", "/v1/users", null,                  200, 200, 403, 403, 200, 403, 200);
        check("GET", "/v1/users/" + owner.id(), null,    200, 200, 200, 403, 200, 403, 404);
        check("GET", "/v1/users/me", null,               404, 200, 200, 200, 200, 404, 200);
        check("PATCH", "/v1/users/" + otherOwner.id(), Map.of("permissions", List.of("crm:contacts:*")),
                                                         200, 200, 403, 403, 403, 403, 404);
        check("POST", "/v1/tenants", Map.of("name", Principals.unique("initech")),
                                                         201, 403, 403, 403, 403, 403, 403);
        check("GET", "/v1/tenants", null,                200, 403, 403, 403, 403, 403, 403);
        check("GET", "/v1/tenants/{tenant}", null,       200, 200, 200, 200, 200, 200, 404);
        check("POST", "/v1/users", () -> Map.of("username", Principals.unique("new"), "email",
                Principals.unique("new") + "@example.com", "roles", List.of("owner")),
                                                         201, 201, 403, 403, 403, 403, 201);
        check("GET", "/v1/permissions", null,            200, 200, 200, 200, 200, 200, 200);
        check("POST", "/v1/permissions", () -> Map.of("permission", "crm:" + Principals.unique("r") + ":read"),
                                                         201, 201, 403, 403, 403, 403, 201);
        check("POST", "/v1/agents/{agent}/verify", null, 200, 200, 200, 404, 403, 403, 404);
        check("POST", "/v1/agents/{agent}/key-challenges", null, 201, 201, 201, 404, 403, 201, 404);
        // A wrong signature is a 400 for whoever may answer; the others never get that far.
        check("POST", "/v1/agents/{agent}/key-challenges/{challenge}/response",
                () -> Map.of("credential_id", jwkCredential, "signature", "a.b.c"), 400, 400, 400, 404, 403, 400, 404);
        check("POST", "/v1/agents/{agent}/credentials/public-keys",
                () -> Map.of("jwk", TestKeys.ed25519Jwk(TestKeys.generate("Ed25519", 0))),
                                                         201, 201, 201, 404, 403, 403, 404);
        check("POST", "/v1/agents/{agent}/credentials/pgp-keys", () -> Map.of("public_key",
                TestKeys.armored(PublicKeyAlgorithmTags.EDDSA_LEGACY, TestKeys.generate("Ed25519", 0))),
                                                         201, 201, 201, 404, 403, 403, 404);
        check("POST", "/v1/agents/{agent}/credentials/{credential}/rotate", null,
                                                         201, 201, 201, 404, 403, 403, 404);
        check("POST", "/v1/agents/{agent}/credentials/{credential}/revoke", null,
                                                         SKIP, SKIP, SKIP, 404, 403, 403, 404);
        check("POST", "/v1/agents/{agent}/credentials/{credential}/revoke", null, SKIP, SKIP, 200, SKIP, SKIP, SKIP, SKIP,
                SKIP, SKIP, SKIP);
        check("POST", "/v1/users/" + victim.id() + "/disable", null, SKIP, SKIP, 403, 403, 403, 403, 404);
        check("POST", "/v1/users/" + victim.id() + "/disable", null, SKIP, 200, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP,
                SKIP);
        given().header("Authorization", admin.bearer()).contentType(ContentType.JSON)
                .body(Map.of("permission", "crm:deletable:read")).post("/v1/permissions").then().statusCode(201);
        check("DELETE", "/v1/permissions/crm:deletable:read", null, SKIP, SKIP, 403, 403, 403, 403, 404);
        check("DELETE", "/v1/permissions/crm:deletable:read", null, SKIP, 204, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP,
                SKIP);
        // Revocation is terminal: the refused callers first, then the owner.
        check("POST", "/v1/agents/{agent}/revoke", null, SKIP, SKIP, SKIP, 404, 403, 403, 404);
        check("POST", "/v1/agents/{agent}/revoke", null, SKIP, SKIP, 200, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void nothingOfAnotherTenantLeaksThroughListsFiltersOrErrors() {
        String outsider = otherTenantAdmin.bearer();
        String agents = given().header("Authorization", outsider).queryParam("owner", owner.email())
                .get("/v1/agents").then().statusCode(200).extract().asString();
        assertFalse(agents.contains(agentId) || agents.contains(tenantA), agents);
        String users = given().header("Authorization", outsider).get("/v1/users").then().statusCode(200)
                .extract().asString();
        assertFalse(users.contains(owner.id()) || users.contains(tenantA), users);
        for (String path : List.of("/v1/agents/" + agentId, "/v1/users/" + owner.id(), "/v1/tenants/" + tenantA,
                "/v1/agents/" + agentId + "/credentials")) {
            String error = given().header("Authorization", outsider).get(path).then().statusCode(404)
                    .extract().asString();
            assertFalse(error.contains(owner.email()) || error.contains("matrix-bot"), error);
        }
        // A Mandate-Tenant header from anyone but the platform admin changes nothing.
        given().header("Authorization", outsider).header("Mandate-Tenant", tenantA).get("/v1/agents/" + agentId)
                .then().statusCode(404);
    }
}
