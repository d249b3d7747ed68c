package io.mandate.identity.rest;

import static io.restassured.RestAssured.given;

import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Creates tenants and humans through the API and mints the bearer tokens they would present. */
final class Principals {

    static final String PLATFORM_ADMIN = "Bearer test-admin-token";
    static final String PASSWORD = "correct horse battery staple";

    private Principals() {
    }

    static String tenant(String name) {
        return given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/v1/tenants").then().statusCode(201).extract().path("id");
    }

    record Human(String id, String tenantId, String email, List<String> roles) {

        /** A token from token-service's issuer, as login would return it. */
        String bearer() {
            return bearer(Duration.ofMinutes(5));
        }

        String bearer(Duration lifetime) {
            return "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(id,
                    Map.of("tenant_id", tenantId, "roles", roles, "email", email), lifetime);
        }
    }

    static Human human(String tenantId, String username, List<String> roles, List<String> permissions) {
        String email = username + "@example.com";
        String id = given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenantId)
                .contentType(ContentType.JSON)
                .body(Map.of("username", username, "email", email, "password", PASSWORD, "roles", roles,
                        "permissions", permissions))
                .post("/v1/users").then().statusCode(201).extract().path("id");
        return new Human(id, tenantId, email, roles);
    }

    static String agentToken(String tenantId, String agentId) {
        return "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(agentId,
                Map.of("tenant_id", tenantId, "client_id", agentId, "scope", "crm:contacts:read"), Duration.ofMinutes(5));
    }

    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }
}
