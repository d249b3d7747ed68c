package io.mandate.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * People joining a tenant by themselves: invitation links a tenant admin makes (used once, for the email
 * they name, until they expire or are revoked), and open sign-up where a tenant allows it; only token-service's
 * sign-up page (role {@code person_registrar}) makes the accounts.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class SignupIT {

    private static final String REGISTRAR = "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token("svc_token-service",
            Map.of("tenant_id", "ten_invited", "roles", List.of("person_registrar")), Duration.ofMinutes(30));

    private static ValidatableResponse signUp(String bearer, Map<String, Object> body) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON).body(body).post("/v1/signups").then();
    }

    private static Map<String, Object> person(String invitation, String tenant, String email) {
        Map<String, Object> body = new HashMap<>();
        body.put("invitation", invitation);
        body.put("tenant_id", tenant);
        body.put("username", Principals.unique("new"));
        body.put("email", email);
        body.put("password", Principals.PASSWORD);
        return body;
    }

    @Test
    void anInvitationMakesOneAccountForItsEmailWithItsRolesAndIsAnnounced() {
        String tenant = Principals.tenant(Principals.unique("acme"));
        String admin = Principals.human(tenant, Principals.unique("root"), List.of("tenant_admin"), List.of()).bearer();
        try (TopicReader identity = TopicReader.of(Topics.IDENTITY)) {
            var made = given().header("Authorization", admin).contentType(ContentType.JSON)
                    .body(Map.of("email", "Bob@Example.com", "roles", List.of("owner"), "permissions",
                            List.of("crm:contacts:read"), "expires_in", 3600))
                    .post("/v1/invitations").then().statusCode(201)
                    .body("invitation.email", equalTo("bob@example.com"))
                    .body("invitation.roles", contains("owner"))
                    .body("url", startsWith("http://")).extract();
            String url = made.path("url");
            String token = url.substring(url.indexOf("invitation=") + "invitation=".length());
            JsonNode created = identity.awaitEvent(TopicReader.typeAndSubject("invitation.created",
                    made.path("invitation.id")), Duration.ofSeconds(15));
            assertFalse(created.toString().contains(token), "the link never reaches an event");

            signUp(REGISTRAR, person(token, null, "eve@example.com")).statusCode(400).body("errors[0].field", equalTo("email"));
            String userId = signUp(REGISTRAR, person(token, null, "bob@example.com")).statusCode(201)
                    .body("tenant_id", equalTo(tenant)).body("roles", contains("owner"))
                    .body("permissions", contains("crm:contacts:read")).extract().path("id");
            identity.awaitEvent(TopicReader.typeAndSubject("human.registered", userId), Duration.ofSeconds(15));
            identity.awaitEvent(TopicReader.typeAndSubject("invitation.accepted", made.path("invitation.id")),
                    Duration.ofSeconds(15));
            signUp(REGISTRAR, person(token, null, "bob@example.com")).statusCode(409).body("code", equalTo("invitation_used"));
        }
        given().header("Authorization", admin).get("/v1/invitations").then().statusCode(200)
                .body("items[0].accepted_user_id", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aRevokedOrUnknownLinkMakesNothingAndOnlyAdminsInvite() {
        String tenant = Principals.tenant(Principals.unique("wayne"));
        String admin = Principals.human(tenant, Principals.unique("alfred"), List.of("tenant_admin"), List.of()).bearer();
        String owner = Principals.human(tenant, Principals.unique("bruce"), List.of("owner"), List.of()).bearer();
        given().header("Authorization", owner).contentType(ContentType.JSON).body(Map.of("roles", List.of("owner")))
                .post("/v1/invitations").then().statusCode(403);
        var made = given().header("Authorization", admin).contentType(ContentType.JSON)
                .body(Map.of("roles", List.of("owner"))).post("/v1/invitations").then().statusCode(201).extract();
        String url = made.path("url");
        given().header("Authorization", admin).delete("/v1/invitations/" + made.path("invitation.id")).then().statusCode(204);
        signUp(REGISTRAR, person(url.substring(url.indexOf('=') + 1), null, "x@example.com")).statusCode(409);
        signUp(REGISTRAR, person("mnd_inv_made-up", null, "x@example.com")).statusCode(404);
        given().header("Authorization", admin).contentType(ContentType.JSON).body(Map.of("roles", List.of("root")))
                .post("/v1/invitations").then().statusCode(400);
        given().header("Authorization", admin).contentType(ContentType.JSON).body(Map.of("expires_in", 10))
                .post("/v1/invitations").then().statusCode(400).body("errors[0].field", equalTo("expires_in"));
        // Only token-service's page makes accounts this way.
        signUp(admin, person(null, "ten_default", "y@example.com")).statusCode(403);
    }

    @Test
    void aTenantOpenToSignUpTakesPeopleWithItsSignUpRolesAndOthersDoNot() {
        signUp(REGISTRAR, person(null, "ten_default", Principals.unique("open") + "@example.com")).statusCode(201)
                .body("tenant_id", equalTo("ten_default")).body("roles", contains("owner"));
        String closed = Principals.tenant(Principals.unique("closed"));
        signUp(REGISTRAR, person(null, closed, "z@example.com")).statusCode(403).body("code", equalTo("signup_closed"));
        Map<String, Object> weak = person(null, "ten_default", Principals.unique("weak") + "@example.com");
        weak.put("password", "short");
        signUp(REGISTRAR, weak).statusCode(400);
    }
}
