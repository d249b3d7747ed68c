package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.TypeIds;
import io.mandate.credentials.Passwords;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.mandate.token.DelegationServer;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.mandate.token.authorize.Backchannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CIBA in poll mode: the agent asks, delegation-service (a stand-in here; the e2e test runs the real one and
 * the inbox in Chromium) holds the request, its {@code delegation.approved} or {@code .denied} comes back over
 * Kafka, and the agent's polls get exactly what the specification says.
 */
@QuarkusTest
@QuarkusTestResource(DelegationServer.class)
class BackchannelIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read", "crm:deals:write");
    private static final String DETAILS = "[{\"type\":\"payment_initiation\",\"amount\":\"45.00\",\"currency\":\"EUR\"}]";

    private static String person() {
        String userId = TypeIds.newId("usr");
        String username = "c" + userId.substring(4, 16);
        String eventId = IdentityFixtures.publishHuman(userId, username, Passwords.hash("pw pw pw pw"), List.of("owner"),
                PERMISSIONS, "active", 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> IdentityFixtures.processed(eventId));
        return username;
    }

    private static ValidatableResponse ask(TestAgent agent, Map<String, String> form) {
        var request = given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded");
        form.forEach(request::formParam);
        return request.post("/oauth2/bc-authorize").then();
    }

    private static ValidatableResponse poll(TestAgent agent, String authReqId) {
        return given().auth().preemptive().basic(agent.id(), agent.apiKey()).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "urn:openid:params:grant-type:ciba").formParam("auth_req_id", authReqId)
                .post("/oauth2/token").then();
    }

    /** What delegation-service publishes when the person answers. */
    private static void answered(String type, String agentId, String requestId, Map<String, Object> extra) {
        Map<String, Object> data = new HashMap<>(Map.of("tenant_id", "ten_test", "request_id", requestId,
                "agent_id", agentId, "status", type.substring("delegation.".length())));
        data.putAll(extra);
        String event = TestEvents.from("delegation-service", type).subject(requestId).time(Instant.now().toString())
                .tenant("ten_test").partitionKey(agentId).data(data).json();
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.DELEGATION, agentId, event);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> IdentityFixtures.processed(TopicReader.parse(event).path("id").asText()));
    }

    private static String lastAsked() {
        return System.getProperty(DelegationServer.LAST_GRANT_PROPERTY).split("\n", 2)[1];
    }

    @Test
    void theAgentPollsUntilThePersonApprovesAndGetsExactlyWhatWasApproved() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String username = person();
        String authReqId = ask(agent, Map.of("login_hint", username, "scope", "crm:contacts:read crm:deals:write",
                "binding_message", "Pay invoice 4711", "authorization_details", DETAILS)).statusCode(200)
                .body("auth_req_id", startsWith("mnd_ar_")).body("interval", equalTo(5))
                .extract().path("auth_req_id");
        String asked = lastAsked();
        assertTrue(asked.contains("\"purpose\":\"Pay invoice 4711\""), asked);
        assertTrue(asked.contains("\"payment_initiation\""), asked);

        poll(agent, authReqId).statusCode(400).body("error", equalTo("authorization_pending"));
        poll(agent, authReqId).statusCode(400).body("error", equalTo("slow_down"))
                .body("error_description", containsString("10 s"));

        String requestId = pendingRequestId(authReqId);
        String delegationId = TypeIds.newId("dlg");
        answered("delegation.approved", agent.id(), requestId, Map.of("delegation_id", delegationId,
                "granted_scopes", List.of("crm:contacts:read"), "grant_expires_at", Instant.now().plusSeconds(600).toString(),
                "authorization_details", TopicReader.parse(DETAILS)));
        IdentityFixtures.sql("update backchannel_request set next_poll_at = now() where delegation_request_id = ?",
                requestId); // instead of waiting out the interval
        var token = poll(agent, authReqId).statusCode(200).body("scope", equalTo("crm:contacts:read"))
                .body("authorization_details[0].currency", equalTo("EUR")).extract().<String>path("access_token");
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertEquals(delegationId, claims.getStringClaim("delegation_id"));
        assertEquals(Map.of("sub", agent.id()), claims.getJSONObjectClaim("act"));
        assertEquals("payment_initiation", ((Map<?, ?>) claims.getListClaim("authorization_details").get(0)).get("type"));
        poll(agent, authReqId).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void deniedExpiredUnknownAndForeignRequestsAreRefusedAsCibaSays() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        TestAgent other = IdentityFixtures.registerAgent(PERMISSIONS);
        String username = person();
        String denied = ask(agent, Map.of("login_hint", username, "scope", "crm:contacts:read")).statusCode(200)
                .extract().path("auth_req_id");
        poll(other, denied).statusCode(400).body("error", equalTo("invalid_grant"));
        answered("delegation.denied", agent.id(), pendingRequestId(denied), Map.of());
        poll(agent, denied).statusCode(400).body("error", equalTo("access_denied"));

        String expired = ask(agent, Map.of("login_hint", username, "scope", "crm:contacts:read")).statusCode(200)
                .extract().path("auth_req_id");
        answered("delegation.expired", agent.id(), pendingRequestId(expired), Map.of());
        poll(agent, expired).statusCode(400).body("error", equalTo("expired_token"));

        ask(agent, Map.of("login_hint", "nobody-" + TypeIds.randomToken(4), "scope", "crm:contacts:read"))
                .statusCode(400).body("error", equalTo("unknown_user_id"));
        ask(agent, Map.of("login_hint", username, "scope", "crm:contacts:delete")).statusCode(400)
                .body("error", equalTo("invalid_scope"));
        ask(agent, Map.of("login_hint", username, "scope", "crm:contacts:read", "authorization_details", "{\"type\":1}"))
                .statusCode(400).body("error", equalTo("invalid_authorization_details"));
        given().contentType("application/x-www-form-urlencoded").formParam("login_hint", username)
                .formParam("scope", "crm:contacts:read").post("/oauth2/bc-authorize").then().statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    /** The delegation request id token-service recorded for an auth_req_id (the stand-in made it up). */
    private static String pendingRequestId(String authReqId) {
        return IdentityFixtures.string("select delegation_request_id from backchannel_request where auth_req_hash = ?",
                Backchannel.hash(authReqId));
    }
}
