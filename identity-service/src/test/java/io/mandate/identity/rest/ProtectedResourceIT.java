package io.mandate.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Resources a tenant protects: registered with their scopes, announced with their RFC 9728 metadata. */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class ProtectedResourceIT {

    @ConfigProperty(name = "mandate.auth.issuer")
    String issuer;

    private static Map<String, Object> mcpServer(String uri) {
        Map<String, Object> body = new HashMap<>();
        body.put("uri", uri);
        body.put("name", "Files MCP server");
        body.put("scopes", List.of(Map.of("scope", "tools:list", "description", "See the tools"),
                Map.of("scope", "tools:call", "description", "Use the tools", "implies", List.of("tools:list"))));
        body.put("access_token_lifetime", 300);
        body.put("dpop_required", true);
        body.put("metadata_hosted", true);
        return body;
    }

    private static ValidatableResponse register(String bearer, Map<String, Object> body) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON).body(body).post("/v1/resources").then();
    }

    private static String uri() {
        return "https://" + Principals.unique("mcp") + ".example.com/mcp";
    }

    @Test
    void aTenantAdminRegistersAResourceAndItIsAnnouncedWithItsMetadata() {
        String tenant = Principals.tenant(Principals.unique("acme"));
        String admin = Principals.human(tenant, Principals.unique("root"), List.of("tenant_admin"), List.of()).bearer();
        String uri = uri();
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            String id = register(admin, mcpServer(uri)).statusCode(201)
                    .body("uri", equalTo(uri))
                    .body("scopes.scope", contains("tools:list", "tools:call"))
                    .body("scopes[1].implies", contains("tools:list"))
                    .body("access_token_lifetime", equalTo(300))
                    .body("protected_resource_metadata.resource", equalTo(uri))
                    .body("protected_resource_metadata.authorization_servers", contains(issuer))
                    .body("protected_resource_metadata.scopes_supported", contains("tools:list", "tools:call"))
                    .body("protected_resource_metadata.bearer_methods_supported", contains("header"))
                    .body("protected_resource_metadata.resource_name", equalTo("Files MCP server"))
                    .body("protected_resource_metadata.dpop_bound_access_tokens_required", equalTo(true))
                    .extract().path("id");
            JsonNode registered = identity.awaitEvent(TopicReader.typeAndSubject("resource.registered", id),
                    Duration.ofSeconds(15));
            assertEquals(uri, registered.path("data").path("resource").path("protected_resource_metadata")
                    .path("resource").asText());
            assertEquals(1, registered.path("data").path("resource").path("version").asLong());

            Map<String, Object> changed = mcpServer(uri);
            changed.put("scopes", List.of(Map.of("scope", "tools:call")));
            changed.remove("dpop_required");
            given().header("Authorization", admin).contentType(ContentType.JSON).body(changed).put("/v1/resources/" + id)
                    .then().statusCode(200).body("scopes.scope", contains("tools:call")).body("dpop_required", equalTo(false))
                    .body("version", equalTo(2));
            identity.awaitEvent(TopicReader.typeAndSubject("resource.updated", id)
                    .and(e -> e.path("data").path("resource").path("version").asLong() == 2), Duration.ofSeconds(15));

            given().header("Authorization", admin).delete("/v1/resources/" + id).then().statusCode(204);
            identity.awaitEvent(TopicReader.typeAndSubject("resource.removed", id), Duration.ofSeconds(15));
            given().header("Authorization", admin).get("/v1/resources/" + id).then().statusCode(404)
                    .body("code", equalTo("resource_not_found"));
        }
    }

    @Test
    void aUriNamesOneResourceOnThePlatformAndOtherTenantsSeeNothing() {
        String tenant = Principals.tenant(Principals.unique("wayne"));
        String other = Principals.tenant(Principals.unique("stark"));
        String admin = Principals.human(tenant, Principals.unique("alfred"), List.of("tenant_admin"), List.of()).bearer();
        String otherAdmin = Principals.human(other, Principals.unique("pepper"), List.of("tenant_admin"), List.of()).bearer();
        String owner = Principals.human(tenant, Principals.unique("bruce"), List.of("owner"), List.of()).bearer();
        String uri = uri();
        String id = register(admin, mcpServer(uri)).statusCode(201).extract().path("id");

        register(otherAdmin, mcpServer(uri)).statusCode(409).body("code", equalTo("resource_uri_taken"));
        given().header("Authorization", otherAdmin).get("/v1/resources/" + id).then().statusCode(404);
        given().header("Authorization", otherAdmin).get("/v1/resources").then().body("items.size()", equalTo(0));
        given().header("Authorization", otherAdmin).delete("/v1/resources/" + id).then().statusCode(404);

        given().header("Authorization", owner).get("/v1/resources").then().statusCode(200).body("items.id", contains(id));
        register(owner, mcpServer(uri())).statusCode(403);
    }

    @Test
    void badResourcesAreRefusedWithTheFieldNamedAndNothingStored() {
        String tenant = Principals.tenant(Principals.unique("strict"));
        String admin = Principals.human(tenant, Principals.unique("root"), List.of("tenant_admin"), List.of()).bearer();
        Map<String, Object[]> cases = Map.of(
                "uri", new Object[] {"uri", "http://mcp.example.com/mcp"},
                "uri#", new Object[] {"uri", "https://mcp.example.com/mcp#top"},
                "uri?", new Object[] {"uri", "https://mcp.example.com/mcp?tenant=1"},
                "relative", new Object[] {"uri", "/mcp"},
                "scopes", new Object[] {"scopes", List.of()},
                "access_token_lifetime", new Object[] {"access_token_lifetime", 10});
        cases.forEach((name, change) -> {
            Map<String, Object> body = mcpServer(uri());
            body.put((String) change[0], change[1]);
            register(admin, body).statusCode(400).body("errors[0].field", equalTo(change[0]));
        });
        Map<String, Object> wildcard = mcpServer(uri());
        wildcard.put("scopes", List.of(Map.of("scope", "tools:*")));
        register(admin, wildcard).statusCode(400).body("errors[0].field", equalTo("scopes[0].scope"));
        Map<String, Object> spaced = mcpServer(uri());
        spaced.put("scopes", List.of(Map.of("scope", "tools call")));
        register(admin, spaced).statusCode(400).body("code", equalTo("permission_invalid"));
        Map<String, Object> dangling = mcpServer(uri());
        dangling.put("scopes", List.of(Map.of("scope", "tools:call", "implies", List.of("files:read"))));
        register(admin, dangling).statusCode(400).body("errors[0].field", equalTo("scopes"));
        for (List<String> claims : List.of(List.of("bogus"), List.of("metadata.iss"), List.of("metadata.a b"))) {
            Map<String, Object> profiled = mcpServer(uri());
            profiled.put("claims", claims);
            register(admin, profiled).statusCode(400).body("errors[0].field", equalTo("claims"));
        }
        given().header("Authorization", admin).get("/v1/resources").then().body("items.size()", equalTo(0));
        Map<String, Object> profiled = mcpServer(uri());
        profiled.put("claims", List.of("agent_id", "scopes", "metadata.team", "agent_id"));
        register(admin, profiled).statusCode(201).body("claims", contains("agent_id", "scopes", "metadata.team"));
    }

    @Test
    void aResourcesScopesExistInATenantThatListsItsPermissionsAndImplyWhatTheySay() {
        String tenant = Principals.tenant(Principals.unique("listed"));
        String admin = Principals.human(tenant, Principals.unique("root"), List.of("tenant_admin"), List.of()).bearer();
        given().header("Authorization", admin).contentType(ContentType.JSON).body(Map.of("permission", "files:read"))
                .post("/v1/permissions").then().statusCode(201);
        Map<String, Object> agent = Map.of("name", "mcp-bot", "owner_email", "o@example.com", "permissions",
                List.of("tools:call"));
        given().header("Authorization", admin).contentType(ContentType.JSON).body(agent).post("/v1/agents").then()
                .statusCode(400).body("code", equalTo("permission_unknown"));
        register(admin, mcpServer(uri())).statusCode(201);
        given().header("Authorization", admin).contentType(ContentType.JSON).body(agent).post("/v1/agents").then()
                .statusCode(201);
        Principals.Human owner = Principals.human(tenant, Principals.unique("owner"), List.of("owner"),
                List.of("tools:call"));
        given().header("Authorization", owner.bearer()).contentType(ContentType.JSON)
                .body(Map.of("name", "lister", "owner_email", owner.email(), "permissions", List.of("tools:list")))
                .post("/v1/agents").then().statusCode(201).body("agent.permissions", contains("tools:list"));

        // A tenant without a catalogue is not closed by registering a resource.
        String open = Principals.tenant(Principals.unique("open"));
        String openAdmin = Principals.human(open, Principals.unique("root"), List.of("tenant_admin"), List.of()).bearer();
        register(openAdmin, mcpServer(uri())).statusCode(201).body("name", equalTo("Files MCP server"))
                .body("protected_resource_metadata.client_id", nullValue());
        given().header("Authorization", openAdmin).contentType(ContentType.JSON)
                .body(Map.of("name", "any", "owner_email", "o@example.com", "permissions", List.of("read:reports")))
                .post("/v1/agents").then().statusCode(201);
    }
}
