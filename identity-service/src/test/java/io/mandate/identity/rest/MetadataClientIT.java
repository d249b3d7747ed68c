package io.mandate.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Clients known by their metadata document: registered by token-service (or a tenant admin), one per URL and tenant. */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class MetadataClientIT {

    private static String tokenService(String tenantId, List<String> roles) {
        return "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token("svc_token-service",
                Map.of("tenant_id", tenantId, "roles", roles), Duration.ofMinutes(1));
    }

    private static ValidatableResponse put(String bearer, String url, String name) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body(Map.of("client_id", url, "client_name", name, "redirect_uris", List.of("http://127.0.0.1:33418/cb"),
                        "logo_uri", "https://cdn.example.com/logo.png"))
                .put("/v1/metadata-clients").then();
    }

    @Test
    void tokenServiceRegistersAClientOncePerUrlAndKeepsItAsTheDocumentSays() {
        String tenant = Principals.tenant(Principals.unique("mcp"));
        String url = "https://" + Principals.unique("client") + ".example.com/client.json";
        String registrar = tokenService(tenant, List.of("client_registrar"));
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            String id = put(registrar, url, "Notes").statusCode(201)
                    .body("name", equalTo("Notes"))
                    .body("owner_email", equalTo(""))
                    .body("permissions", contains("*"))
                    .body("client.type", equalTo("app"))
                    .body("client.token_endpoint_auth_method", equalTo("none"))
                    .body("client.client_id_url", equalTo(url))
                    .body("client.redirect_uris", contains("http://127.0.0.1:33418/cb"))
                    .extract().path("id");
            JsonNode registered = identity.awaitEvent(TopicReader.typeAndSubject("agent.registered", id),
                    Duration.ofSeconds(15));
            assertEquals("system", registered.path("authtype").asText());
            assertEquals(url, registered.path("data").path("agent").path("client").path("client_id_url").asText());

            put(registrar, url, "Notes, renamed").statusCode(200).body("id", equalTo(id)).body("name", equalTo("Notes, renamed"));
            identity.awaitEvent(TopicReader.typeAndSubject("agent.updated", id), Duration.ofSeconds(15));
            // The same URL in another tenant is another client.
            String other = Principals.tenant(Principals.unique("other"));
            String otherId = put(tokenService(other, List.of("client_registrar")), url, "Notes").statusCode(201)
                    .extract().path("id");
            assertEquals(false, id.equals(otherId));

            given().header("Authorization", Principals.PLATFORM_ADMIN).header("Mandate-Tenant", tenant)
                    .post("/v1/agents/" + id + "/revoke").then().statusCode(200);
            put(registrar, url, "Notes").statusCode(409).body("code", equalTo("agent_revoked"));
        }
    }

    @Test
    void onlyTokenServiceOrATenantAdminRegistersAndNoRequestSetsTheUrl() {
        String tenant = Principals.tenant(Principals.unique("acme"));
        String url = "https://" + Principals.unique("client") + ".example.com/client.json";
        put(tokenService(tenant, List.of()), url, "x").statusCode(403);
        put(tokenService(tenant, List.of("tenant_admin")), url, "x").statusCode(403);
        String owner = Principals.human(tenant, Principals.unique("owner"), List.of("owner"), List.of()).bearer();
        put(owner, url, "x").statusCode(403);
        String admin = Principals.human(tenant, Principals.unique("root"), List.of("tenant_admin"), List.of()).bearer();
        put(admin, "http://" + Principals.unique("c") + ".example.com/client.json", "x").statusCode(400);
        put(admin, url, "x").statusCode(201);

        // A client registered through the API never claims a document's URL.
        given().header("Authorization", admin).contentType(ContentType.JSON)
                .body(Map.of("name", "impostor", "owner_email", "o@example.com", "permissions", List.of("a:b:c"),
                        "client", Map.of("type", "app", "redirect_uris", List.of("https://evil.example/cb"),
                                "token_endpoint_auth_method", "none", "client_id_url", url)))
                .post("/v1/agents").then().statusCode(201).body("agent.client.client_id_url", nullValue());
    }

    @Test
    void aDynamicallyRegisteredClientGetsASecretUnlessPublicAndIsMarkedSo() {
        String tenant = Principals.tenant(Principals.unique("dcr"));
        String registrar = tokenService(tenant, List.of("client_registrar"));
        Map<String, Object> confidential = Map.of("client_name", "Registered", "redirect_uris",
                List.of("https://app.example/cb"), "token_endpoint_auth_method", "client_secret_post");
        given().header("Authorization", registrar).contentType(ContentType.JSON).body(confidential)
                .post("/v1/dynamic-clients").then().statusCode(201)
                .body("agent.client.registration", equalTo("dynamic"))
                .body("agent.client.token_endpoint_auth_method", equalTo("client_secret_post"))
                .body("agent.permissions", contains("*"))
                .body("client_secret", org.hamcrest.Matchers.startsWith("mnd_sk_"));
        given().header("Authorization", registrar).contentType(ContentType.JSON)
                .body(Map.of("redirect_uris", List.of("http://127.0.0.1/cb"), "token_endpoint_auth_method", "none"))
                .post("/v1/dynamic-clients").then().statusCode(201).body("client_secret", nullValue())
                .body("agent.name", equalTo("Dynamically registered client"));
        given().header("Authorization", registrar).contentType(ContentType.JSON)
                .body(Map.of("redirect_uris", List.of("javascript:alert(1)"))).post("/v1/dynamic-clients").then()
                .statusCode(400);
        String owner = Principals.human(tenant, Principals.unique("owner"), List.of("owner"), List.of()).bearer();
        given().header("Authorization", owner).contentType(ContentType.JSON).body(confidential)
                .post("/v1/dynamic-clients").then().statusCode(403);
    }
}
