package io.mandate.identity.rest;

import static io.mandate.identity.rest.Principals.PLATFORM_ADMIN;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.testsupport.TestIssuers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every identity-service endpoint that takes a body, fed what a careless or hostile client sends. */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class BadInputIT {

    @Test
    void everyBodyEndpointRefusesMalformedUnknownWrongAndOversizedInputAndStoresNothing() {
        String tenant = Principals.tenant(Principals.unique("bad"));
        Principals.Human admin = Principals.human(tenant, Principals.unique("admin"), List.of("tenant_admin"), List.of());
        String bearer = admin.bearer();
        String agentId = given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body(Map.of("name", "bot", "owner_email", "o@example.com", "permissions", List.of("a:b:c")))
                .post("/v1/agents").then().statusCode(201).extract().path("agent.id");
        String credentialId = given().header("Authorization", bearer).get("/v1/agents/" + agentId + "/credentials")
                .then().extract().path("items[0].id");
        String challengeId = given().header("Authorization", bearer).post("/v1/agents/" + agentId + "/key-challenges")
                .then().statusCode(201).extract().path("id");

        List<String[]> endpoints = List.of(
                new String[] {"POST", "/v1/tenants"},
                new String[] {"POST", "/v1/users"},
                new String[] {"PATCH", "/v1/users/" + admin.id()},
                new String[] {"POST", "/v1/agents"},
                new String[] {"PATCH", "/v1/agents/" + agentId},
                new String[] {"PUT", "/v1/agents/" + agentId + "/permissions"},
                new String[] {"PUT", "/v1/agents/" + agentId + "/tier"},
                new String[] {"POST", "/v1/agents/" + agentId + "/credentials/public-keys"},
                new String[] {"POST", "/v1/agents/" + agentId + "/credentials/pgp-keys"},
                new String[] {"POST", "/v1/agents/" + agentId + "/credentials/" + credentialId + "/rotate"},
                new String[] {"POST", "/v1/agents/" + agentId + "/key-challenges/" + challengeId + "/response"},
                new String[] {"POST", "/v1/permissions"});
        String huge = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
        Map<String, Integer> inputs = Map.of("{\"name\":", 400, "{\"no_such_field\":1}", 400, "[1,2]", 400,
                "\"text\"", 400, huge, 413);
        List<String> failures = new ArrayList<>();
        for (String[] endpoint : endpoints) {
            inputs.forEach((body, status) -> {
                String bearerFor = endpoint[1].equals("/v1/tenants") ? PLATFORM_ADMIN : bearer;
                Response response = given().header("Authorization", bearerFor).contentType(ContentType.JSON).body(body)
                        .request(endpoint[0], endpoint[1]);
                if (response.statusCode() != status
                        || !"application/problem+json".equals(response.contentType())) {
                    failures.add(endpoint[0] + " " + endpoint[1] + " with " + body.substring(0, Math.min(20, body.length()))
                            + ": " + response.statusCode() + " " + response.asString());
                } else if (body.contains("no_such_field") && !response.asString().contains("no_such_field")) {
                    failures.add(endpoint[1] + ": the unknown field is not named: " + response.asString());
                }
            });
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        // Nothing was stored: still one agent, one human, one API key, no catalogue.
        assertEquals(1, (int) given().header("Authorization", bearer).get("/v1/agents").then().extract().path("items.size()"));
        assertEquals(1, (int) given().header("Authorization", bearer).get("/v1/users").then().extract().path("items.size()"));
        assertEquals(1, (int) given().header("Authorization", bearer).get("/v1/agents/" + agentId + "/credentials")
                .then().extract().path("items.size()"));
        assertEquals(0, (int) given().header("Authorization", bearer).get("/v1/permissions").then()
                .extract().path("items.size()"));
    }
}
