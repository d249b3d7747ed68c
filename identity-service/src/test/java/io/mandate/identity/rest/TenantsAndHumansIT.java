package io.mandate.identity.rest;

import static io.mandate.identity.rest.Principals.PASSWORD;
import static io.mandate.identity.rest.Principals.PLATFORM_ADMIN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class TenantsAndHumansIT {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);

    @Test
    void platformAdminCreatesTenantsOnceEach() {
        String name = Principals.unique("umbrella");
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            String id = given().header("Authorization", PLATFORM_ADMIN).header("Idempotency-Key", name)
                    .contentType(ContentType.JSON).body(Map.of("name", name))
                    .post("/v1/tenants").then().statusCode(201)
                    .body("id", matchesPattern("ten_[0-9a-z]{26}")).body("name", equalTo(name))
                    .extract().path("id");
            given().header("Authorization", PLATFORM_ADMIN).header("Idempotency-Key", name)
                    .contentType(ContentType.JSON).body(Map.of("name", name))
                    .post("/v1/tenants").then().statusCode(200).header("Idempotent-Replayed", "true")
                    .body("id", equalTo(id));
            given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("name", name.toUpperCase())).post("/v1/tenants").then().statusCode(409)
                    .body("code", equalTo("tenant_name_taken")).body("errors[0].field", equalTo("name"));
            JsonNode created = identity.awaitEvent(TopicReader.typeAndSubject("tenant.created", id), EVENT_TIMEOUT);
            assertEquals(id, created.path("tenantid").asText());
            assertEquals(name, created.path("data").path("tenant").path("name").asText());
        }
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON).body(Map.of("name", ""))
                .post("/v1/tenants").then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().header("Authorization", PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "plan", "gold")).post("/v1/tenants").then().statusCode(400)
                .body("code", equalTo("unknown_field"));
        given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", "ten_doesnotexist")
                .contentType(ContentType.JSON).body(newHuman(Principals.unique("ghost"), List.of("owner")))
                .post("/v1/users").then().statusCode(404).body("code", equalTo("tenant_not_found"));
        given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", "ten_doesnotexist")
                .contentType(ContentType.JSON)
                .body(Map.of("name", "bot", "owner_email", "o@example.com", "permissions", List.of("a:b:c")))
                .post("/v1/agents").then().statusCode(404).body("code", equalTo("tenant_not_found"));
    }

    @Test
    void humansArePublishedWithoutTheirPasswordAndTheirVerifierOnlyInternally() {
        String tenant = Principals.tenant(Principals.unique("hooli"));
        String username = Principals.unique("gavin");
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY);
                TopicReader credentials = TopicReader.of(Topics.IDENTITY_CREDENTIALS)) {
            String id = given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenant)
                    .contentType(ContentType.JSON).body(newHuman(username, List.of("tenant_admin", "owner")))
                    .post("/v1/users").then().statusCode(201)
                    .body("id", matchesPattern("usr_[0-9a-z]{26}"))
                    .body("tenant_id", equalTo(tenant))
                    .body("email", equalTo(username + "@example.com"))
                    .body("roles", contains("tenant_admin", "owner"))
                    .body("has_password", equalTo(true))
                    .body("password", nullValue()).body("password_hash", nullValue())
                    .extract().path("id");
            JsonNode registered = identity.awaitEvent(TopicReader.typeAndSubject("human.registered", id), EVENT_TIMEOUT);
            assertFalse(registered.toString().contains("pbkdf2") || registered.toString().contains(PASSWORD),
                    registered.toString());
            JsonNode verifier = credentials.awaitEvent(TopicReader.typeAndSubject("human.verifier", id), EVENT_TIMEOUT);
            assertTrue(verifier.path("data").path("password_hash").asText().startsWith("pbkdf2-sha256$"));
            assertEquals(username, verifier.path("data").path("username").asText());
            assertFalse(verifier.toString().contains(PASSWORD));

            given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenant)
                    .post("/v1/users/" + id + "/disable").then().statusCode(200).body("status", equalTo("disabled"));
            identity.awaitEvent(TopicReader.typeAndSubject("human.disabled", id), EVENT_TIMEOUT);
            JsonNode disabled = credentials.awaitEvent(e -> "human.verifier".equals(e.path("type").asText())
                    && id.equals(e.path("subject").asText()) && "disabled".equals(e.path("data").path("status").asText()),
                    EVENT_TIMEOUT);
            assertEquals(id, disabled.path("data").path("user_id").asText());
        }
    }

    @Test
    void aDisabledHumansTokenStopsWorkingAtOnce() {
        String tenant = Principals.tenant(Principals.unique("pied"));
        Principals.Human admin = Principals.human(tenant, Principals.unique("richard"), List.of("tenant_admin"), List.of());
        given().header("Authorization", admin.bearer()).get("/v1/users/me").then().statusCode(200)
                .body("id", equalTo(admin.id()));
        given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenant)
                .post("/v1/users/" + admin.id() + "/disable").then().statusCode(200);
        given().header("Authorization", admin.bearer()).get("/v1/users/me").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void badHumanInputIsRefusedWithTheFieldNamedAndNothingStored() {
        String tenant = Principals.tenant(Principals.unique("aviato"));
        String taken = Principals.unique("erlich");
        Principals.human(tenant, taken, List.of("owner"), List.of());
        Map<String, Map<String, Object>> cases = Map.of(
                "email", with(newHuman(Principals.unique("a"), List.of("owner")), "email", "not-an-email"),
                "password", with(newHuman(Principals.unique("b"), List.of("owner")), "password", "short"),
                "roles", with(newHuman(Principals.unique("c"), List.of("owner")), "roles", List.of("root")),
                "permissions", with(newHuman(Principals.unique("d"), List.of("owner")), "permissions", List.of("crm contacts")),
                "username", newHuman("no spaces allowed", List.of("owner")));
        cases.forEach((field, body) -> given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenant)
                .contentType(ContentType.JSON).body(body).post("/v1/users").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field)));
        given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenant).contentType(ContentType.JSON)
                .body(newHuman(taken.toUpperCase(), List.of("owner"))).post("/v1/users").then().statusCode(409)
                .body("code", equalTo("username_taken")).body("errors[0].field", equalTo("username"));
        given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenant).contentType(ContentType.JSON)
                .body("{\"username\":").post("/v1/users").then().statusCode(400).body("code", equalTo("invalid_json"));
        given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenant).contentType(ContentType.JSON)
                .body(with(newHuman(Principals.unique("e"), List.of("owner")), "is_admin", true))
                .post("/v1/users").then().statusCode(400).body("code", equalTo("unknown_field"));
        given().header("Authorization", PLATFORM_ADMIN).header("Mandate-Tenant", tenant).get("/v1/users")
                .then().statusCode(200).body("items.size()", equalTo(1));
    }

    @Test
    void enterpriseIdpUsersAreMappedByEmailThenBySubject() {
        String username = Principals.unique("monica");
        Principals.Human human = Principals.human(TestIssuers.EXTERNAL_TENANT, username, List.of("auditor"), List.of());
        TestIssuer idp = TestIssuer.named(TestIssuers.EXTERNAL);
        String subject = "00u" + username;
        // An address the IdP did not verify links nothing; nor does a token the IdP issued to another client.
        String unverified = "Bearer " + idp.token(subject, Map.of("email", human.email()), Duration.ofMinutes(5));
        given().header("Authorization", unverified).get("/v1/users/me").then().statusCode(401);
        String saysUnverified = "Bearer " + idp.token(subject, Map.of("email", human.email(), "email_verified", false),
                Duration.ofMinutes(5));
        given().header("Authorization", saysUnverified).get("/v1/users/me").then().statusCode(401);
        String otherClient = "Bearer " + idp.token(subject, Map.of("email", human.email(), "email_verified", true,
                "aud", "another-app"), Duration.ofMinutes(5));
        given().header("Authorization", otherClient).get("/v1/users/me").then().statusCode(401);
        String byEmail = "Bearer " + idp.token(subject, Map.of("email", human.email(), "email_verified", true),
                Duration.ofMinutes(5));
        given().header("Authorization", byEmail).get("/v1/users/me").then().statusCode(200)
                .body("id", equalTo(human.id())).body("external_subject", equalTo(subject));
        // Linked: the subject alone now finds the account, whatever email the IdP sends.
        String bySubject = "Bearer " + idp.token(subject, Map.of("email", "renamed@example.org"), Duration.ofMinutes(5));
        given().header("Authorization", bySubject).get("/v1/users/me").then().statusCode(200)
                .body("id", equalTo(human.id()));
        // The auditor role comes from the Mandate account, not from anything the IdP claims.
        String claimsAdmin = "Bearer " + idp.token(subject, Map.of("roles", List.of("tenant_admin")), Duration.ofMinutes(5));
        given().header("Authorization", claimsAdmin).contentType(ContentType.JSON)
                .body(newHuman(Principals.unique("x"), List.of("owner"))).post("/v1/users").then().statusCode(403);

        String stranger = "Bearer " + idp.token("00unknown", Map.of("email", "nobody@example.org"), Duration.ofMinutes(5));
        given().header("Authorization", stranger).get("/v1/users/me").then().statusCode(401);
        String forged = "Bearer " + idp.forged(subject, Map.of("email", human.email()));
        given().header("Authorization", forged).get("/v1/users/me").then().statusCode(401);
        String expired = "Bearer " + idp.token(subject, Map.of("email", human.email()), Duration.ofMinutes(-5));
        given().header("Authorization", expired).get("/v1/users/me").then().statusCode(401);
    }

    private static Map<String, Object> newHuman(String username, List<String> roles) {
        return Map.of("username", username, "email", username.replace(' ', '-') + "@example.com", "password", PASSWORD,
                "roles", roles, "permissions", List.of("crm:contacts:read"));
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(field, value);
        return changed;
    }
}
