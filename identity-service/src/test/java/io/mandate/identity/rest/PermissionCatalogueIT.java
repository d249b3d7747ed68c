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
}
