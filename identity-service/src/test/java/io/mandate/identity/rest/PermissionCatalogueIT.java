package io.mandate.identity.rest;

import static io.mandate.identity.rest.Principals.PLATFORM_ADMIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class PermissionCatalogueIT {

    private static io.restassured.response.ValidatableResponse register(String admin, List<String> permissions) {
        return given().header("Authorization", admin).contentType(ContentType.JSON)
                .body(Map.of("name", "cat-bot", "owner_email", "owner@example.com", "permissions", permissions))
                .post("/v1/agents").then();
    }

    private static io.restassured.response.ValidatableResponse add(String bearer, String permission) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body(Map.of("permission", permission, "description", "what it allows"))
                .post("/v1/permissions").then();
    }

    @Test
    void catalogueChangesAreAnnouncedWithTheirWords() {
        String tenant = Principals.tenant(Principals.unique("acme"));
        String admin = Principals.human(tenant, Principals.unique("ada"), List.of("tenant_admin"), List.of()).bearer();
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            add(admin, "files:reports:read").statusCode(201);
            JsonNode added = identity.awaitEvent(TopicReader.typeAndSubject("permission.added", "files:reports:read")
                    .and(e -> tenant.equals(e.path("data").path("tenant_id").asText())), Duration.ofSeconds(15));
            assertEquals("what it allows", added.path("data").path("description").asText());
            given().header("Authorization", admin).delete("/v1/permissions/files:reports:read").then().statusCode(204);
            identity.awaitEvent(TopicReader.typeAndSubject("permission.removed", "files:reports:read")
                    .and(e -> tenant.equals(e.path("data").path("tenant_id").asText())), Duration.ofSeconds(15));
        }
    }

    @Test
    void aCatalogueRestrictsPermissionsToWhatItKnows() {
        String tenant = Principals.tenant(Principals.unique("wayne"));
        String otherTenant = Principals.tenant(Principals.unique("stark"));
        String admin = Principals.human(tenant, Principals.unique("alfred"), List.of("tenant_admin"), List.of()).bearer();
        String otherAdmin = Principals.human(otherTenant, Principals.unique("pepper"), List.of("tenant_admin"), List.of())
                .bearer();
        // Without a catalogue, any well-formed permission is fine.
        register(admin, List.of("billing:invoices:read")).statusCode(201);

        add(admin, "crm:contacts:read").statusCode(201).body("permission", equalTo("crm:contacts:read"));
        add(admin, "crm:deals:write").statusCode(201);
        add(admin, "crm:deals:write").statusCode(409).body("code", equalTo("permission_exists"));
        add(admin, "crm:*:write").statusCode(400).body("errors[0].field", equalTo("permission"));
        add(admin, "CRM contacts").statusCode(400).body("code", equalTo("permission_invalid"));
        given().header("Authorization", admin).get("/v1/permissions").then().statusCode(200)
                .body("items.permission", contains("crm:contacts:read", "crm:deals:write"));

        register(admin, List.of("crm:contacts:read", "crm:*:write")).statusCode(201);
        int before = given().header("Authorization", admin).get("/v1/agents").then().extract().path("items.size()");
        register(admin, List.of("crm:contacts:read", "billing:invoices:read", "crm:*:delete")).statusCode(400)
                .body("code", equalTo("permission_unknown"))
                .body("detail", containsString("billing:invoices:read"))
                .body("detail", containsString("crm:*:delete"))
                .body("detail", not(containsString("crm:contacts:read")));
        given().header("Authorization", admin).get("/v1/agents").then().body("items.size()", equalTo(before));
        given().header("Authorization", admin).contentType(ContentType.JSON)
                .body(Map.of("username", Principals.unique("bruce"), "email", Principals.unique("b") + "@example.com",
                        "roles", List.of("owner"), "permissions", List.of("billing:*:*")))
                .post("/v1/users").then().statusCode(400).body("code", equalTo("permission_unknown"));

        // Another tenant's catalogue is its own.
        given().header("Authorization", otherAdmin).get("/v1/permissions").then().body("items.size()", equalTo(0));
        register(otherAdmin, List.of("billing:invoices:read")).statusCode(201);

        given().header("Authorization", admin).delete("/v1/permissions/crm:deals:write").then().statusCode(204);
        given().header("Authorization", admin).delete("/v1/permissions/crm:deals:write").then().statusCode(404);
        register(admin, List.of("crm:deals:write")).statusCode(400).body("code", equalTo("permission_unknown"));
        given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenant).get("/v1/permissions").then()
                .body("items.permission", contains("crm:contacts:read"));
    }

    private static io.restassured.response.ValidatableResponse add(String bearer, String permission, List<String> implies) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body(Map.of("permission", permission, "implies", implies)).post("/v1/permissions").then();
    }

    @Test
    void anEntryImpliesOthersAndAnOwnerLendsWhatItHoldsThroughThem() {
        String tenant = Principals.tenant(Principals.unique("agentup"));
        String admin = Principals.human(tenant, Principals.unique("root"), List.of("tenant_admin"), List.of()).bearer();
        // The scopes of the systems Mandate replaces, as they are written there.
        add(admin, "files:read").statusCode(201);
        add(admin, "files:write", List.of("files:read")).statusCode(201).body("implies", contains("files:read"));
        add(admin, "read:reports").statusCode(201);
        add(admin, "basic").statusCode(201);
        add(admin, "premium", List.of("basic")).statusCode(201);
        add(admin, "admin", List.of("*")).statusCode(201);
        add(admin, "files:delete", List.of("files:purge")).statusCode(400).body("code", equalTo("permission_unknown"))
                .body("errors[0].field", equalTo("implies"));
        add(admin, "files:delete", List.of("files:delete")).statusCode(400).body("errors[0].field", equalTo("implies"));
        add(admin, "files:delete", List.of("files read")).statusCode(400).body("code", equalTo("permission_invalid"));
        given().header("Authorization", admin).get("/v1/permissions").then()
                .body("items.find { it.permission == 'admin' }.implies", contains("*"))
                .body("items.find { it.permission == 'files:delete' }", equalTo(null));

        Principals.Human owner = Principals.human(tenant, Principals.unique("owner"), List.of("owner"),
                List.of("files:write", "premium"));
        register(owner, List.of("files:read", "basic", "premium")).statusCode(201);
        register(owner, List.of("read:reports")).statusCode(403).body("code", equalTo("permission_not_held"));

        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            given().header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("description", "write files", "implies", List.of())).put("/v1/permissions/files:write")
                    .then().statusCode(200).body("implies", equalTo(List.of())).body("description", equalTo("write files"));
            JsonNode updated = identity.awaitEvent(TopicReader.typeAndSubject("permission.updated", "files:write")
                    .and(e -> tenant.equals(e.path("data").path("tenant_id").asText())), Duration.ofSeconds(15));
            assertEquals(0, updated.path("data").path("implies").size());
        }
        register(owner, List.of("files:read")).statusCode(403).body("detail", containsString("files:read"));
        given().header("Authorization", admin).contentType(ContentType.JSON).body(Map.of("implies", List.of()))
                .put("/v1/permissions/files:nothing").then().statusCode(404);
        given().header("Authorization", owner.bearer()).contentType(ContentType.JSON).body(Map.of("implies", List.of()))
                .put("/v1/permissions/files:write").then().statusCode(403);
    }

    private static io.restassured.response.ValidatableResponse register(Principals.Human owner, List<String> permissions) {
        return given().header("Authorization", owner.bearer()).contentType(ContentType.JSON)
                .body(Map.of("name", "lent-bot", "owner_email", owner.email(), "permissions", permissions))
                .post("/v1/agents").then();
    }
}
