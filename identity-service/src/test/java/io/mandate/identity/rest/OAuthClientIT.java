package io.mandate.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Agents and apps registered as OAuth clients for the browser flows: redirect URIs, logo, type, public or not. */
@QuarkusTest
class OAuthClientIT {

    private static final String ADMIN = "Bearer test-admin-token";

    private static Map<String, Object> withClient(String name, Map<String, Object> client) {
        Map<String, Object> body = new HashMap<>(AgentResourceIT.agentBody(name));
        body.put("client", client);
        return body;
    }

    private static io.restassured.response.ValidatableResponse register(Map<String, Object> body) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(body).post("/v1/agents").then();
    }

    @Test
    void anAgentRegisteredAsAClientShowsItsSettingsAndEveryConsumerHearsThem() {
        String agentId = register(withClient("travel-assistant", Map.of("redirect_uris",
                List.of("https://assistant.example.com/callback", "http://127.0.0.1/callback"),
                "logo_uri", "https://assistant.example.com/logo.png")))
                .statusCode(201)
                .body("agent.client.type", equalTo("agent"))
                .body("agent.client.token_endpoint_auth_method", equalTo("client_secret_basic"))
                .body("agent.client.redirect_uris", contains("https://assistant.example.com/callback",
                        "http://127.0.0.1/callback"))
                .body("credentials.api_key", org.hamcrest.Matchers.startsWith("mnd_sk_"))
                .extract().path("agent.id");
        given().header("Authorization", ADMIN).get("/v1/agents/" + agentId).then().statusCode(200)
                .body("client.logo_uri", equalTo("https://assistant.example.com/logo.png"));
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            JsonNode registered = identity.awaitEvent(TopicReader.typeAndSubject("agent.registered", agentId),
                    Duration.ofSeconds(15));
            JsonNode client = registered.path("data").path("agent").path("client");
            assertEquals("https://assistant.example.com/callback", client.path("redirect_uris").path(0).asText());
            assertEquals("agent", client.path("type").asText());
        }
    }

    @Test
    void aPublicAppGetsNoKeyAndTakesNone() {
        String appId = register(withClient("desktop-mcp-client", Map.of("type", "app",
                "token_endpoint_auth_method", "none", "redirect_uris", List.of("http://localhost/cb", "com.example.desk:/cb"))))
                .statusCode(201)
                .body("agent.client.type", equalTo("app"))
                .body("credentials", nullValue())
                .extract().path("agent.id");
        given().header("Authorization", ADMIN).post("/v1/agents/" + appId + "/credentials/api-keys").then()
                .statusCode(409).body("code", equalTo("public_client"));
    }

    @Test
    void badRedirectUrisAreRefusedNamingTheField() {
        for (String uri : List.of("http://app.example.com/cb", "https://app.example.com/cb#frag",
                "https://*.example.com/cb", "javascript:alert(1)", "/relative/cb", "myapp:/cb", "not a uri")) {
            register(withClient("bad-" + uri.length(), Map.of("redirect_uris", List.of(uri)))).statusCode(400)
                    .body("errors[0].field", equalTo("client.redirect_uris"))
                    .body("errors[0].message", containsString(uri));
        }
        register(withClient("no-uris", Map.of("redirect_uris", List.of()))).statusCode(400)
                .body("errors[0].field", equalTo("client.redirect_uris"));
        register(withClient("bad-type", Map.of("type", "robot", "redirect_uris", List.of("https://a.example/cb"))))
                .statusCode(400).body("errors[0].field", equalTo("client.type"));
        register(withClient("bad-method", Map.of("token_endpoint_auth_method", "tls_client_auth",
                "redirect_uris", List.of("https://a.example/cb")))).statusCode(400)
                .body("errors[0].field", equalTo("client.token_endpoint_auth_method"));
        register(withClient("bad-logo", Map.of("logo_uri", "http://a.example/logo.png",
                "redirect_uris", List.of("https://a.example/cb")))).statusCode(400)
                .body("errors[0].field", equalTo("client.logo_uri"));
        register(withClient("unknown-field", Map.of("redirect_uris", List.of("https://a.example/cb"), "scope", "x")))
                .statusCode(400);
    }

    @Test
    void updatingTheClientReplacesItsSettings() {
        String agentId = AgentResourceIT.register("becomes-a-client");
        given().header("Authorization", ADMIN).get("/v1/agents/" + agentId).then().body("client", nullValue());
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("client", Map.of("redirect_uris", List.of("https://b.example/cb"))))
                .patch("/v1/agents/" + agentId).then().statusCode(200)
                .body("client.redirect_uris", contains("https://b.example/cb"))
                .body("version", equalTo(1));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("client", Map.of("redirect_uris", List.of("http://evil.example/cb"))))
                .patch("/v1/agents/" + agentId).then().statusCode(400);
        given().header("Authorization", ADMIN).get("/v1/agents/" + agentId).then()
                .body("client.redirect_uris", contains("https://b.example/cb"));
    }
}
