package io.mandate.delegation.rest;

import static io.mandate.delegation.DelegationFixtures.asAgent;
import static io.mandate.delegation.DelegationFixtures.asHuman;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.delegation.DelegationFixtures;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An agent asks, the human asked decides; every step an event; unanswered requests lapse. */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class DelegationRequestIT {

    @Inject
    DelegationFixtures fixtures;

    private static Map<String, Object> ask(String userId, String... scopes) {
        return Map.of("user_id", userId, "scopes", List.of(scopes), "purpose", "file the weekly CRM report",
                "expires_in", 3600);
    }

    @Test
    void theHumanAskedApprovesAndTheAgentGetsItsGrant() {
        String tenant = DelegationFixtures.newTenant();
        String owner = fixtures.human(tenant, List.of("owner"), "crm:contacts:read");
        String agent = fixtures.agent(tenant, "crm:contacts:read");
        String requestId = asAgent(agent, tenant).header("Idempotency-Key", "ask-" + agent)
                .body(ask(owner, "crm:contacts:read")).post("/v1/delegations/requests")
                .then().statusCode(201).body("status", equalTo("pending")).body("user_id", equalTo(owner))
                .extract().path("id");
        // Asked again with the same key (a retry): the same request, not a second one.
        asAgent(agent, tenant).header("Idempotency-Key", "ask-" + agent).body(ask(owner, "crm:contacts:read"))
                .post("/v1/delegations/requests").then().statusCode(200).body("id", equalTo(requestId));

        asHuman(owner, tenant, "owner").queryParam("status", "pending").get("/v1/delegations/requests").then()
                .statusCode(200).body("items.id", contains(requestId));
        var approved = asHuman(owner, tenant, "owner").post("/v1/delegations/requests/" + requestId + "/approve")
                .then().statusCode(200)
                .body("request.status", equalTo("approved"))
                .body("delegation.agent_id", equalTo(agent))
                .body("delegation.user_id", equalTo(owner))
                .body("delegation.purpose", equalTo("file the weekly CRM report"))
                .body("delegation_token", notNullValue())
                .extract().jsonPath();
        String delegationId = approved.getString("delegation.id");

        // The agent sees the outcome and fetches its own token for the grant.
        asAgent(agent, tenant).get("/v1/delegations/requests/" + requestId).then().statusCode(200)
                .body("status", equalTo("approved")).body("delegation_id", equalTo(delegationId));
        String token = asAgent(agent, tenant).post("/v1/delegations/" + delegationId + "/token").then()
                .statusCode(200).extract().path("delegation_token");
        asAgent(agent, tenant).body(Map.of("delegation_token", token)).post("/v1/delegations/validate").then()
                .body("valid", equalTo(true)).body("delegation_id", equalTo(delegationId));

        asHuman(owner, tenant, "owner").post("/v1/delegations/requests/" + requestId + "/deny").then()
                .statusCode(409).body("code", equalTo("request_not_pending"));
        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            reader.awaitEvent(TopicReader.typeAndSubject("delegation.requested", requestId), Duration.ofSeconds(20));
            reader.awaitEvent(TopicReader.typeAndSubject("delegation.approved", requestId), Duration.ofSeconds(20));
            reader.awaitEvent(TopicReader.typeAndSubject("delegation.granted", delegationId), Duration.ofSeconds(20));
        }
    }

    @Test
    void theHumanApprovesPartOfTheScopesForAShorterTimeAndTheDetailsStayAsAsked() {
        String tenant = DelegationFixtures.newTenant();
        String owner = fixtures.human(tenant, List.of("owner"), "crm:*:*");
        String agent = fixtures.agent(tenant, "crm:contacts:read", "crm:deals:write");
        Map<String, Object> body = new HashMap<>(ask(owner, "crm:contacts:read", "crm:deals:write"));
        body.put("authorization_details", List.of(Map.of("type", "payment_initiation", "amount", "45.00",
                "currency", "EUR")));
        String requestId = asAgent(agent, tenant).body(body).post("/v1/delegations/requests").then().statusCode(201)
                .body("authorization_details[0].type", equalTo("payment_initiation")).extract().path("id");

        asHuman(owner, tenant, "owner").body(Map.of("scopes", List.of("crm:deals:delete"))).post(
                "/v1/delegations/requests/" + requestId + "/approve").then().statusCode(403);
        asHuman(owner, tenant, "owner").body(Map.of("expires_in", 7200)).post(
                "/v1/delegations/requests/" + requestId + "/approve").then().statusCode(400)
                .body("errors[0].field", equalTo("expires_in"));
        asHuman(owner, tenant, "owner").body(Map.of("scopes", List.of("crm:contacts:read"), "expires_in", 600))
                .post("/v1/delegations/requests/" + requestId + "/approve").then().statusCode(200)
                .body("delegation.scopes", contains("crm:contacts:read"))
                .body("request.scopes", contains("crm:contacts:read", "crm:deals:write"));
        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            var approved = reader.awaitEvent(TopicReader.typeAndSubject("delegation.approved", requestId),
                    Duration.ofSeconds(20)).path("data");
            assertEquals(List.of("crm:contacts:read"),
                    List.of(approved.path("granted_scopes").get(0).asText()));
            assertEquals("EUR",
                    approved.path("authorization_details").get(0).path("currency").asText());
            assertTrue(Instant.parse(approved.path("grant_expires_at").asText())
                    .isBefore(Instant.now().plusSeconds(601)));
        }
        body.put("authorization_details", List.of(Map.of("amount", "1")));
        asAgent(agent, tenant).body(body).post("/v1/delegations/requests").then().statusCode(400)
                .body("errors[0].field", equalTo("authorization_details"));
    }

    @Test
    void onlyTheHumanAskedApprovesAndADenialIsFinal() {
        String tenant = DelegationFixtures.newTenant();
        String owner = fixtures.human(tenant, List.of("owner"), "crm:contacts:read");
        String otherOwner = fixtures.human(tenant, List.of("owner"), "crm:contacts:read");
        String admin = fixtures.human(tenant, List.of("tenant_admin"), "*:*:*");
        String agent = fixtures.agent(tenant, "crm:contacts:read");
        String requestId = asAgent(agent, tenant).body(ask(owner, "crm:contacts:read")).post("/v1/delegations/requests")
                .then().statusCode(201).extract().path("id");

        asHuman(otherOwner, tenant, "owner").post("/v1/delegations/requests/" + requestId + "/approve").then()
                .statusCode(404);
        asAgent(agent, tenant).post("/v1/delegations/requests/" + requestId + "/approve").then().statusCode(404);
        // A tenant admin may deny but not lend someone else's authority.
        asHuman(admin, tenant, "tenant_admin").post("/v1/delegations/requests/" + requestId + "/approve").then()
                .statusCode(403);
        asHuman(admin, tenant, "tenant_admin").post("/v1/delegations/requests/" + requestId + "/deny").then()
                .statusCode(200).body("status", equalTo("denied")).body("decided_by", equalTo(admin));
        asHuman(owner, tenant, "owner").post("/v1/delegations/requests/" + requestId + "/approve").then()
                .statusCode(409);
        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            reader.awaitEvent(TopicReader.typeAndSubject("delegation.denied", requestId), Duration.ofSeconds(20));
        }
    }

    @Test
    void requestsBeyondTheAgentOrToNobodyOrByHumansAreRefused() {
        String tenant = DelegationFixtures.newTenant();
        String owner = fixtures.human(tenant, List.of("owner"), "crm:*:*");
        String agent = fixtures.agent(tenant, "crm:contacts:read");
        asAgent(agent, tenant).body(ask(owner, "crm:deals:read")).post("/v1/delegations/requests").then()
                .statusCode(403).body("code", equalTo("scope_not_covered"));
        asAgent(agent, tenant).body(ask("usr_nobody", "crm:contacts:read")).post("/v1/delegations/requests").then()
                .statusCode(404).body("code", equalTo("user_not_found"));
        asAgent(agent, tenant).body(Map.of("user_id", owner, "scopes", List.of("crm:contacts:read"),
                "expires_in", 60)).post("/v1/delegations/requests").then().statusCode(400)
                .body("errors[0].field", equalTo("purpose"));
        asHuman(owner, tenant, "owner").body(ask(owner, "crm:contacts:read")).post("/v1/delegations/requests")
                .then().statusCode(403);
        asAgent(agent, tenant).get("/v1/delegations/requests").then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void anUnansweredRequestExpires() {
        String tenant = "ten_quick";
        String owner = fixtures.human(tenant, List.of("owner"), "crm:contacts:read");
        String agent = fixtures.agent(tenant, "crm:contacts:read");
        String requestId = asAgent(agent, tenant).body(ask(owner, "crm:contacts:read")).post("/v1/delegations/requests")
                .then().statusCode(201).extract().path("id");
        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            reader.awaitEvent(TopicReader.typeAndSubject("delegation.expired", requestId), Duration.ofSeconds(20));
        }
        asAgent(agent, tenant).get("/v1/delegations/requests/" + requestId).then().body("status", equalTo("expired"));
        asHuman(owner, tenant, "owner").post("/v1/delegations/requests/" + requestId + "/approve").then()
                .statusCode(409);
    }
}
