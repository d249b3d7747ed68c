package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TopicReader;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.service.AccessTokensTestAccess;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IntrospectionIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read");

    @Inject
    AccessTokensTestAccess tokens;

    @Inject
    ProjectionRepository projections;

    static String token(TestAgent agent) {
        return given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }

    static ValidatableResponse introspect(TestAgent caller, String token) {
        return given().auth().preemptive().basic(caller.id(), caller.apiKey())
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post("/oauth2/introspect").then().statusCode(200).header("Cache-Control", "no-store");
    }

    @Test
    void liveTokenIsActiveWithItsClaims() {
        TestAgent resourceServer = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String token = token(agent);
        token(resourceServer);
        introspect(resourceServer, token).body("active", equalTo(true)).body("sub", equalTo(agent.id()))
                .body("client_id", equalTo(agent.id())).body("scope", equalTo("crm:contacts:read"))
                .body("tenant_id", equalTo("ten_test")).body("aud", equalTo("mandate")).body("token_type", equalTo("Bearer"));
    }

    @Test
    void tamperedForeignGarbageAndExpiredTokensAreInactive() {
        TestAgent caller = IdentityFixtures.registerAgent(PERMISSIONS);
        String token = token(caller);
        String[] parts = token.split("\\.");
        String otherPayload = token(IdentityFixtures.registerAgent(PERMISSIONS)).split("\\.")[1];
        introspect(caller, parts[0] + "." + otherPayload + "." + parts[2]).body("active", equalTo(false));
        introspect(caller, token.substring(0, token.length() - 3) + "AAA").body("active", equalTo(false));
        introspect(caller, "not-a-jwt").body("active", equalTo(false));
        String expired = tokens.issueAt(projections.findAgent(caller.id()).orElseThrow(), PERMISSIONS, Duration.ofHours(-2));
        introspect(caller, expired).body("active", equalTo(false));
    }

    @Test
    void revokedTokenIsInactiveWithinASecondAndAnnounced() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String token = token(agent);
        String jti = introspect(agent, token).body("active", equalTo(true)).extract().path("jti");
        given().auth().preemptive().basic(agent.id(), agent.apiKey()).contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post("/oauth2/revoke").then().statusCode(200);
        await().atMost(Duration.ofSeconds(1)).until(() -> !introspect(agent, token).extract().<Boolean>path("active"));
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            JsonNode revoked = reader.awaitEvent(e -> "token.revoked".equals(e.path("type").asText())
                    && jti.equals(e.path("data").path("jti").asText()), Duration.ofSeconds(15));
            assertEquals(agent.id(), revoked.path("subject").asText());
        }
    }

    @Test
    void onlyTheTokensOwnClientCanRevokeIt() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent other = IdentityFixtures.registerAgent(PERMISSIONS);
        String token = token(agent);
        given().auth().preemptive().basic(other.id(), other.apiKey()).contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post("/oauth2/revoke").then().statusCode(200);
        introspect(agent, token).body("active", equalTo(true));
    }

    @Test
    void suspendedAgentsTokensAreInactive() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent caller = IdentityFixtures.registerAgent(PERMISSIONS);
        String token = token(agent);
        token(caller);
        IdentityFixtures.changeStatus(agent.id(), "agent.suspended", "suspended", PERMISSIONS, 1);
        await().atMost(Duration.ofSeconds(1)).until(() -> !introspect(caller, token).extract().<Boolean>path("active"));
    }

    @Test
    void callersMustAuthenticateAndSendAToken() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String token = token(agent);
        given().contentType("application/x-www-form-urlencoded").formParam("token", token).post("/oauth2/introspect")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic(agent.id(), "mnd_sk_wrong_secret").contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post("/oauth2/revoke").then().statusCode(401);
        given().auth().preemptive().basic(agent.id(), agent.apiKey()).contentType("application/x-www-form-urlencoded")
                .body("").post("/oauth2/introspect").then().statusCode(400).body("error", equalTo("invalid_request"));
    }
}
