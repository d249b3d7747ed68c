package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.mandate.e2e.Platform.Agent;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A tenant of its own, so that its catalogue is the only one that counts. */
record Tenant(String id) {

    private static final String PASSWORD = "correct horse battery staple";

    static Tenant create(String name) {
        return new Tenant(given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", name + " " + Long.toString(System.nanoTime(), 36))).post("/v1/tenants")
                .then().statusCode(201).extract().path("id"));
    }

    RequestSpecification admin() {
        return given().baseUri(identity.url()).header("Authorization", ADMIN).header("Mandate-Tenant", id)
                .contentType(ContentType.JSON);
    }

    void addPermission(String permission, List<String> implies) {
        admin().body(Map.of("permission", permission, "implies", implies)).post("/v1/permissions").then()
                .statusCode(201);
    }

    Agent register(List<String> permissions) {
        Response response = admin().body(Map.of("name", "seed-agent", "owner_email", "owner@example.com",
                "permissions", permissions)).post("/v1/agents");
        response.then().statusCode(201);
        return new Agent(response.path("agent.id"), response.path("credentials.api_key"));
    }

    /** A signed-in owner holding {@code permissions}: the bearer of its login token. */
    String owner(List<String> permissions) {
        String username = "seed-owner-" + Long.toString(System.nanoTime(), 36);
        admin().body(Map.of("username", username, "email", username + "@example.com", "password", PASSWORD,
                "roles", List.of("owner"), "permissions", permissions)).post("/v1/users").then().statusCode(201);
        Response login = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(token.url()).contentType(ContentType.JSON)
                        .body(Map.of("username", username, "password", PASSWORD)).post("/v1/auth/login"),
                        r -> r.statusCode() == 200);
        return "Bearer " + login.path("token");
    }
}
