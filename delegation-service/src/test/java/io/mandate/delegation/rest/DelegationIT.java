package io.mandate.delegation.rest;

import static io.mandate.delegation.DelegationFixtures.asAgent;
import static io.mandate.delegation.DelegationFixtures.asHuman;
import static io.mandate.delegation.DelegationFixtures.grantBody;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.delegation.DelegationFixtures;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Root grants: the subset rule, bad input, validation of delegation tokens, and who may do what. */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class DelegationIT {

    @Inject
    DelegationFixtures fixtures;

    String tenant;
    String owner;
    String agent;

    @BeforeEach
    void humanAndAgent() {
        tenant = DelegationFixtures.newTenant();
        owner = fixtures.human(tenant, List.of("owner"), "crm:contacts:read", "crm:contacts:write", "mail:*:send");
        agent = fixtures.agent(tenant, "crm:*:read", "crm:contacts:write", "calendar:events:read");
    }

    @Test
    void ownerGrantsASubsetAndTheTokenValidates() {
        var granted = asHuman(owner, tenant, "owner").body(grantBody(agent, 3600, "crm:contacts:read"))
                .post("/v1/delegations").then().statusCode(201)
                .body("delegation.user_id", equalTo(owner))
                .body("delegation.agent_id", equalTo(agent))
                .body("delegation.scopes", contains("crm:contacts:read"))
                .body("delegation.status", equalTo("active"))
                .body("delegation.max_depth", equalTo(1))
                .body("delegation_token", notNullValue())
                .extract().jsonPath();
        String id = granted.getString("delegation.id");
        String token = granted.getString("delegation_token");

        asAgent(agent, tenant).body(Map.of("delegation_token", token)).post("/v1/delegations/validate")
                .then().statusCode(200)
                .body("valid", equalTo(true))
                .body("delegation_id", equalTo(id))
                .body("user_id", equalTo(owner))
                .body("agent_id", equalTo(agent))
                .body("scopes", contains("crm:contacts:read"))
                .body("chain", hasSize(1))
                .body("chain[0].agent_id", equalTo(agent))
                .body("expires_at", notNullValue());

        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            JsonNode event = reader.awaitEvent(TopicReader.typeAndSubject("delegation.granted", id), Duration.ofSeconds(20));
            assertEquals(owner, event.path("data").path("user_id").asText());
            assertEquals(tenant, event.path("data").path("tenant_id").asText());
            assertEquals("crm:contacts:read", event.path("data").path("scopes").get(0).asText());
        }
    }

    @Test
    void theCatalogueSaysWhichScopesExistAndWhatEachImplies() {
        String agentUp = DelegationFixtures.newTenant();
        fixtures.permission(agentUp, "permission.added", "files:read");
        fixtures.permission(agentUp, "permission.added", "files:write", "files:read");
        fixtures.permission(agentUp, "permission.added", "basic");
        String lender = fixtures.human(agentUp, List.of("owner"), "files:write", "basic");
        String delegate = fixtures.agent(agentUp, "files:write");

        asHuman(lender, agentUp, "owner").body(grantBody(delegate, 600, "files:read")).post("/v1/delegations")
                .then().statusCode(201).body("delegation.scopes", contains("files:read"));
        asHuman(lender, agentUp, "owner").body(grantBody(delegate, 600, "files:read", "files:delete", "premium"))
                .post("/v1/delegations").then().statusCode(400).body("code", equalTo("scope_unknown"))
                .body("detail", equalTo("not in the tenant's permission catalogue: files:delete, premium"));
        asHuman(lender, agentUp, "owner").body(grantBody(delegate, 600, "basic")).post("/v1/delegations")
                .then().statusCode(403).body("code", equalTo("scope_not_covered"))
                .body("detail", equalTo("not covered by the agent's permissions: basic"));

        // files:write implies nothing now: files:read is held by neither.
        fixtures.permission(agentUp, "permission.updated", "files:write");
        asHuman(lender, agentUp, "owner").body(grantBody(delegate, 600, "files:read")).post("/v1/delegations")
                .then().statusCode(403).body("code", equalTo("scope_not_covered"));
        // Another tenant has no catalogue: anything well formed exists there.
        asHuman(owner, tenant, "owner").body(grantBody(agent, 600, "files:delete")).post("/v1/delegations")
                .then().statusCode(403).body("code", equalTo("scope_not_covered"));
    }

    @Test
    void scopesBeyondTheAgentOrTheHumanAreRefusedListingThem() {
        // The human holds mail:*:send, the agent does not.
        asHuman(owner, tenant, "owner").body(grantBody(agent, 3600, "crm:contacts:read", "mail:inbox:send"))
                .post("/v1/delegations").then().statusCode(403)
                .contentType("application/problem+json")
                .body("code", equalTo("scope_not_covered"))
                .body("errors", hasSize(1))
                .body("errors[0].message", containsString("mail:inbox:send"))
                .body("errors[0].message", containsString("agent"));
        // The agent holds calendar:events:read, the human does not.
        asHuman(owner, tenant, "owner").body(grantBody(agent, 3600, "calendar:events:read"))
                .post("/v1/delegations").then().statusCode(403)
                .body("code", equalTo("scope_not_covered"))
                .body("errors[0].message", containsString("your authority"));
        // A wildcard asks for more than a narrower holding.
        asHuman(owner, tenant, "owner").body(grantBody(agent, 3600, "crm:*:read"))
                .post("/v1/delegations").then().statusCode(403);
        nothingStoredFor(agent);
    }

    @Test
    void badInputIsRefusedAndNothingIsStored() {
        var owner = asHuman(this.owner, tenant, "owner");
        owner.body(grantBody("agt_unknown", 3600, "crm:contacts:read")).post("/v1/delegations")
                .then().statusCode(404).body("code", equalTo("agent_not_found"));
        asHuman(this.owner, tenant, "owner").body(grantBody(agent, 3600, "crm:contacts read"))
                .post("/v1/delegations").then().statusCode(400).body("code", equalTo("permission_invalid"))
                .body("errors[0].field", equalTo("scopes[0]"));
        asHuman(this.owner, tenant, "owner").body(grantBody(agent, -5, "crm:contacts:read"))
                .post("/v1/delegations").then().statusCode(400).body("errors[0].field", equalTo("expires_in"));
        asHuman(this.owner, tenant, "owner").body(grantBody(agent, 400L * 24 * 3600, "crm:contacts:read"))
                .post("/v1/delegations").then().statusCode(400).body("errors[0].field", equalTo("expires_in"));
        asHuman(this.owner, tenant, "owner").body(Map.of("agent_id", agent, "scopes", List.of("crm:contacts:read")))
                .post("/v1/delegations").then().statusCode(400).body("errors[0].field", equalTo("expires_in"));
        asHuman(this.owner, tenant, "owner").body(Map.of("agent_id", agent, "scopes", List.of(), "expires_in", 60))
                .post("/v1/delegations").then().statusCode(400).body("errors[0].field", equalTo("scopes"));
        asHuman(this.owner, tenant, "owner").body(Map.of("agent_id", agent, "scopes", List.of("crm:contacts:read"),
                "expires_in", "soon")).post("/v1/delegations").then().statusCode(400);
        asHuman(this.owner, tenant, "owner").body(Map.of("agent_id", agent, "scopes", List.of("crm:contacts:read"),
                "expires_in", 60, "admin", true)).post("/v1/delegations").then().statusCode(400);
        asHuman(this.owner, tenant, "owner").body(Map.of("agent_id", agent, "scopes", List.of("crm:contacts:read"),
                "expires_in", 60, "max_depth", 99)).post("/v1/delegations").then().statusCode(400)
                .body("errors[0].field", equalTo("max_depth"));
        asHuman(this.owner, tenant, "owner").body("{").post("/v1/delegations").then().statusCode(400);
        nothingStoredFor(agent);
    }

    @Test
    void forgedTamperedAndForeignTokensAreNotValid() {
        String token = asHuman(owner, tenant, "owner").body(grantBody(agent, 3600, "crm:contacts:read"))
                .post("/v1/delegations").then().statusCode(201).extract().path("delegation_token");
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String widened = payload.replace("crm:contacts:read", "crm:contacts:write");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(widened.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String unsigned = parts[0].replace(parts[0], Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"delegation+jwt\"}".getBytes(StandardCharsets.UTF_8)))
                + "." + parts[1] + ".";
        for (String bad : List.of(tampered, unsigned, "not-a-token", parts[0] + "." + parts[1] + ".AAAA")) {
            asAgent(agent, tenant).body(Map.of("delegation_token", bad)).post("/v1/delegations/validate")
                    .then().statusCode(200).body("valid", equalTo(false)).body("reason", equalTo("invalid_token"));
        }
        // A caller of another tenant learns nothing about it.
        String stranger = fixtures.agent(DelegationFixtures.newTenant(), "crm:contacts:read");
        asAgent(stranger, "ten_elsewhere").body(Map.of("delegation_token", token)).post("/v1/delegations/validate")
                .then().statusCode(200).body("valid", equalTo(false)).body("reason", equalTo("wrong_tenant"));
        asAgent(agent, tenant).body(Map.of()).post("/v1/delegations/validate").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("delegation_token", token)).post("/v1/delegations/validate")
                .then().statusCode(401);
    }

    @Test
    void onlyTheGrantingHumanOrATenantAdminRevokes() {
        String id = asHuman(owner, tenant, "owner").body(grantBody(agent, 3600, "crm:contacts:read"))
                .post("/v1/delegations").then().statusCode(201).extract().path("delegation.id");
        String otherOwner = fixtures.human(tenant, List.of("owner"), "crm:contacts:read");
        String auditor = fixtures.human(tenant, List.of("auditor"), "crm:contacts:read");
        String elsewhere = DelegationFixtures.newTenant();
        String outsider = fixtures.human(elsewhere, List.of("tenant_admin"), "*:*:*");

        // Another owner of the tenant neither sees nor revokes it; an auditor sees but cannot revoke.
        asHuman(otherOwner, tenant, "owner").get("/v1/delegations/" + id).then().statusCode(404);
        asHuman(otherOwner, tenant, "owner").post("/v1/delegations/" + id + "/revoke").then().statusCode(404);
        asHuman(auditor, tenant, "auditor").get("/v1/delegations/" + id).then().statusCode(200);
        asHuman(auditor, tenant, "auditor").post("/v1/delegations/" + id + "/revoke").then().statusCode(403);
        // The delegate cannot revoke on the human's behalf; an admin of another tenant finds nothing.
        asAgent(agent, tenant).post("/v1/delegations/" + id + "/revoke").then().statusCode(403);
        asHuman(outsider, elsewhere, "tenant_admin").get("/v1/delegations/" + id).then().statusCode(404);
        asHuman(outsider, elsewhere, "tenant_admin").post("/v1/delegations/" + id + "/revoke").then().statusCode(404);
        // An auditor cannot grant, nor can a human act for another tenant's agent.
        asHuman(auditor, tenant, "auditor").body(grantBody(agent, 60, "crm:contacts:read")).post("/v1/delegations")
                .then().statusCode(403);
        asHuman(outsider, elsewhere, "tenant_admin").body(grantBody(agent, 60, "crm:contacts:read"))
                .post("/v1/delegations").then().statusCode(404);

        // A delegated token (sub = the human, act = the agent) does not make its agent that human here.
        String delegated = io.mandate.testsupport.TestIssuer.named(TestIssuers.MANDATE).token(owner,
                Map.of("tenant_id", tenant, "client_id", agent, "act", Map.of("sub", agent)), Duration.ofMinutes(5));
        given().header("Authorization", "Bearer " + delegated).post("/v1/delegations/" + id + "/revoke").then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + delegated).get("/v1/delegations").then().statusCode(401);

        String admin = fixtures.human(tenant, List.of("tenant_admin"));
        asHuman(admin, tenant, "tenant_admin").post("/v1/delegations/" + id + "/revoke").then().statusCode(200)
                .body("revoked", contains(id)).body("delegation.status", equalTo("revoked"));
        asHuman(owner, tenant, "owner").post("/v1/delegations/" + id + "/revoke").then().statusCode(409)
                .body("code", equalTo("delegation_not_active"));
    }

    @Test
    void listsByHumanAgentAndStatusWithCursors() {
        String other = fixtures.agent(tenant, "crm:contacts:read");
        for (int i = 0; i < 3; i++) {
            asHuman(owner, tenant, "owner").body(grantBody(agent, 3600, "crm:contacts:read")).post("/v1/delegations")
                    .then().statusCode(201);
        }
        String revoked = asHuman(owner, tenant, "owner").body(grantBody(other, 3600, "crm:contacts:read"))
                .post("/v1/delegations").then().statusCode(201).extract().path("delegation.id");
        asHuman(owner, tenant, "owner").post("/v1/delegations/" + revoked + "/revoke").then().statusCode(200);

        var first = asHuman(owner, tenant, "owner").queryParam("agent_id", agent).queryParam("limit", 2)
                .get("/v1/delegations").then().statusCode(200).body("items", hasSize(2))
                .body("next_cursor", notNullValue()).extract().jsonPath();
        asHuman(owner, tenant, "owner").queryParam("agent_id", agent).queryParam("limit", 2)
                .queryParam("cursor", first.getString("next_cursor")).get("/v1/delegations").then().statusCode(200)
                .body("items", hasSize(1));
        asHuman(owner, tenant, "owner").queryParam("status", "revoked").get("/v1/delegations").then()
                .statusCode(200).body("items.id", contains(revoked));
        asAgent(other, tenant).get("/v1/delegations").then().statusCode(200).body("items.id", contains(revoked));
        asHuman(owner, tenant, "owner").queryParam("status", "gone").get("/v1/delegations").then().statusCode(400);
        asHuman(owner, tenant, "owner").queryParam("limit", 501).get("/v1/delegations").then().statusCode(400);
        asHuman(owner, tenant, "owner").queryParam("cursor", "!!").get("/v1/delegations").then().statusCode(400);
    }

    @Test
    void aRepeatedGrantWithTheSameIdempotencyKeyMakesOneGrant() {
        String key = "grant-" + java.util.UUID.randomUUID();
        String first = asHuman(owner, tenant, "owner").header("Idempotency-Key", key)
                .body(grantBody(agent, 3600, "crm:contacts:read")).post("/v1/delegations").then().statusCode(201)
                .extract().path("delegation.id");
        asHuman(owner, tenant, "owner").header("Idempotency-Key", key)
                .body(grantBody(agent, 3600, "crm:contacts:read")).post("/v1/delegations").then().statusCode(200)
                .header("Idempotent-Replayed", "true").body("delegation.id", equalTo(first))
                .body("delegation_token", notNullValue());
        asHuman(owner, tenant, "owner").header("Idempotency-Key", key)
                .body(grantBody(agent, 60, "crm:contacts:read")).post("/v1/delegations").then().statusCode(422)
                .body("code", equalTo("idempotency_key_reused"));
        asHuman(owner, tenant, "owner").queryParam("agent_id", agent).get("/v1/delegations").then()
                .body("items", hasSize(1));
    }

    private void nothingStoredFor(String agentId) {
        asHuman(owner, tenant, "owner").queryParam("agent_id", agentId).get("/v1/delegations").then()
                .statusCode(200).body("items", hasSize(0));
    }
}
