package io.mandate.delegation.rest;

import static io.mandate.delegation.DelegationFixtures.asAgent;
import static io.mandate.delegation.DelegationFixtures.asHuman;
import static io.mandate.delegation.DelegationFixtures.grantBody;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.delegation.DelegationFixtures;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sub-delegation chains, the revocation cascade (by hand, by identity events) and expiry. */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class DelegationChainIT {

    @Inject
    DelegationFixtures fixtures;

    String tenant;
    String owner;
    String a;
    String b;
    String c;
    String d;

    @BeforeEach
    void people() {
        tenant = DelegationFixtures.newTenant();
        owner = fixtures.human(tenant, List.of("owner"), "crm:*:*");
        a = fixtures.agent(tenant, "crm:*:*");
        b = fixtures.agent(tenant, "crm:contacts:*");
        c = fixtures.agent(tenant, "crm:contacts:read", "crm:deals:read");
        d = fixtures.agent(tenant, "crm:contacts:read");
    }

    private JsonPath root(long seconds, int maxDepth, String... scopes) {
        Map<String, Object> body = new java.util.HashMap<>(grantBody(a, seconds, scopes));
        body.put("max_depth", maxDepth);
        return asHuman(owner, tenant, "owner").body(body).post("/v1/delegations").then().statusCode(201).extract()
                .jsonPath();
    }

    private io.restassured.response.Response lend(String from, String parentId, String to, long seconds,
            String... scopes) {
        Map<String, Object> body = new java.util.HashMap<>(grantBody(to, seconds, scopes));
        body.put("parent_id", parentId);
        return asAgent(from, tenant).body(body).post("/v1/delegations");
    }

    @Test
    void aThreeHopChainNeverExceedsOrOutlivesItsParentAndStopsAtMaxDepth() {
        String first = root(3600, 3, "crm:contacts:read", "crm:contacts:write").getString("delegation.id");

        // Hop 2: more than the parent, or longer, or on someone else's grant, is refused.
        lend(a, first, b, 600, "crm:deals:read").then().statusCode(403).body("code", equalTo("scope_not_covered"));
        lend(a, first, b, 7200, "crm:contacts:read").then().statusCode(403).body("code", equalTo("expiry_exceeds_parent"));
        lend(b, first, c, 600, "crm:contacts:read").then().statusCode(403).body("code", equalTo("not_delegate"));
        lend(a, first, a, 600, "crm:contacts:read").then().statusCode(400);
        String second = lend(a, first, b, 1800, "crm:contacts:read", "crm:contacts:write").then().statusCode(201)
                .body("delegation.depth", equalTo(2)).body("delegation.user_id", equalTo(owner))
                .extract().path("delegation.id");

        // Hop 3: the child agent's own permissions bound it too (c has no crm:contacts:write).
        lend(b, second, c, 600, "crm:contacts:write").then().statusCode(403).body("code", equalTo("scope_not_covered"));
        lend(b, second, c, 1801, "crm:contacts:read").then().statusCode(403);
        var third = lend(b, second, c, 600, "crm:contacts:read").then().statusCode(201)
                .body("delegation.chain.agent_id", contains(a, b, c))
                .body("delegation.chain.delegation_id", contains(equalTo(first), equalTo(second),
                        org.hamcrest.Matchers.startsWith("dlg_")))
                .extract().jsonPath();

        // Depth 3 of 3: no fourth hop, and no going back up the chain.
        lend(c, third.getString("delegation.id"), d, 60, "crm:contacts:read").then().statusCode(403)
                .body("code", equalTo("depth_exceeded"));

        asAgent(d, tenant).body(Map.of("delegation_token", third.getString("delegation_token")))
                .post("/v1/delegations/validate").then().statusCode(200)
                .body("valid", equalTo(true))
                .body("user_id", equalTo(owner))
                .body("agent_id", equalTo(c))
                .body("chain.agent_id", contains(a, b, c))
                .body("chain.delegation_id", contains(first, second, third.getString("delegation.id")));
    }

    @Test
    void revokingTheMiddleLinkRevokesEverythingBelowItInOneEvent() {
        String first = root(3600, 3, "crm:contacts:read").getString("delegation.id");
        String second = lend(a, first, b, 1800, "crm:contacts:read").then().statusCode(201).extract()
                .path("delegation.id");
        var third = lend(b, second, c, 600, "crm:contacts:read").then().statusCode(201).extract().jsonPath();
        String thirdId = third.getString("delegation.id");

        // The delegator of the middle link (a) revokes it.
        asAgent(a, tenant).post("/v1/delegations/" + second + "/revoke").then().statusCode(200)
                .body("revoked", contains(second, thirdId));
        asAgent(c, tenant).body(Map.of("delegation_token", third.getString("delegation_token")))
                .post("/v1/delegations/validate").then().body("valid", equalTo(false)).body("reason", equalTo("revoked"));
        asHuman(owner, tenant, "owner").get("/v1/delegations/" + first).then().body("status", equalTo("active"));
        lend(b, second, d, 60, "crm:contacts:read").then().statusCode(409).body("code", equalTo("delegation_not_active"));

        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            JsonNode event = reader.awaitEvent(TopicReader.typeAndSubject("delegation.revoked", second),
                    Duration.ofSeconds(20));
            assertEquals(List.of(second, thirdId), strings(event.path("data").path("delegation_ids")));
        }
    }

    @Test
    void anAgentRevokedOrSuspendedInIdentityEndsEveryGrantItTakesPartIn() {
        String first = root(3600, 3, "crm:contacts:read").getString("delegation.id");
        String second = lend(a, first, b, 1800, "crm:contacts:read").then().statusCode(201).extract()
                .path("delegation.id");
        String third = lend(b, second, c, 600, "crm:contacts:read").then().statusCode(201).extract()
                .path("delegation.id");
        String elsewhere = asHuman(owner, tenant, "owner").body(grantBody(d, 600, "crm:contacts:read"))
                .post("/v1/delegations").then().statusCode(201).extract().path("delegation.id");

        DelegationFixtures.publishAgent("agent.suspended", b, tenant, "suspended", List.of("crm:contacts:*"), 2);

        await().atMost(Duration.ofSeconds(20)).until(() -> "revoked".equals(asHuman(owner, tenant, "owner")
                .get("/v1/delegations/" + third).then().extract().path("status")));
        asHuman(owner, tenant, "owner").get("/v1/delegations/" + second).then().body("status", equalTo("revoked"))
                .body("revoked_reason", equalTo("agent.suspended"));
        asHuman(owner, tenant, "owner").get("/v1/delegations/" + first).then().body("status", equalTo("active"));
        asHuman(owner, tenant, "owner").get("/v1/delegations/" + elsewhere).then().body("status", equalTo("active"));
        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            JsonNode event = reader.awaitEvent(TopicReader.typeAndSubject("delegation.revoked", b), Duration.ofSeconds(20));
            assertEquals(Set.of(second, third), new HashSet<>(strings(event.path("data").path("delegation_ids"))));
        }
        // A suspended agent's new grants are refused too.
        asHuman(owner, tenant, "owner").body(grantBody(b, 600, "crm:contacts:read")).post("/v1/delegations")
                .then().statusCode(409).body("code", equalTo("agent_not_active"));
    }

    @Test
    void aDisabledHumansGrantsAreAllRevoked() {
        String first = root(3600, 2, "crm:contacts:read").getString("delegation.id");
        String second = lend(a, first, b, 1800, "crm:contacts:read").then().statusCode(201).extract()
                .path("delegation.id");

        DelegationFixtures.publishHuman("human.disabled", owner, tenant, "disabled", List.of("owner"),
                List.of("crm:*:*"), 2);

        await().atMost(Duration.ofSeconds(20)).until(() -> "revoked".equals(DelegationFixtures.asAdmin(tenant).get("/v1/delegations/" + second).then().extract().path("status")));
        asHuman(owner, tenant, "owner").get("/v1/delegations").then().statusCode(401);
        DelegationFixtures.asAdmin(tenant).queryParam("user_id", owner).get("/v1/delegations").then()
                .statusCode(200).body("items.status", containsInAnyOrder("revoked", "revoked"));
    }

    private String status(String grantId) {
        return DelegationFixtures.asAdmin(tenant).get("/v1/delegations/" + grantId).then().extract().path("status");
    }

    @Test
    void aHumanWhosePermissionsShrinkLosesTheGrantsTheyNoLongerCover() {
        String contacts = root(3600, 2, "crm:contacts:read").getString("delegation.id");
        String below = lend(a, contacts, b, 1800, "crm:contacts:read").then().statusCode(201).extract()
                .path("delegation.id");
        String deals = root(3600, 1, "crm:deals:read").getString("delegation.id");

        DelegationFixtures.publishHuman("human.updated", owner, tenant, "active", List.of("owner"),
                List.of("crm:deals:*"), 2);

        await().atMost(Duration.ofSeconds(20)).until(() -> "revoked".equals(status(below)));
        assertEquals("revoked", status(contacts));
        assertEquals("active", status(deals), "a grant the human still covers stays");
        DelegationFixtures.asAdmin(tenant).get("/v1/delegations/" + contacts).then()
                .body("revoked_reason", equalTo("human.updated"));
        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            JsonNode event = reader.awaitEvent(TopicReader.typeAndSubject("delegation.revoked", owner),
                    Duration.ofSeconds(20));
            assertEquals(Set.of(contacts, below), new HashSet<>(strings(event.path("data").path("delegation_ids"))));
        }
    }

    @Test
    void aHumanWhoIsNoLongerAnOwnerLosesEveryGrantTheyMade() {
        String first = root(3600, 1, "crm:contacts:read").getString("delegation.id");
        String second = root(3600, 1, "crm:deals:read").getString("delegation.id");

        DelegationFixtures.publishHuman("human.updated", owner, tenant, "active", List.of("auditor"),
                List.of("crm:*:*"), 2);

        await().atMost(Duration.ofSeconds(20)).until(() -> "revoked".equals(status(first)));
        assertEquals("revoked", status(second));
        // Nor can they grant anew: their roles are the account's, not their token's.
        asHuman(owner, tenant, "owner").body(grantBody(a, 600, "crm:contacts:read")).post("/v1/delegations").then()
                .statusCode(403).body("code", equalTo("delegation_forbidden"));
    }

    @Test
    void anAgentWhosePermissionsShrinkLosesTheGrantsItNoLongerCovers() {
        String read = root(3600, 2, "crm:contacts:read").getString("delegation.id");
        String write = root(3600, 2, "crm:contacts:write").getString("delegation.id");
        String lentOn = lend(a, write, b, 1800, "crm:contacts:write").then().statusCode(201).extract()
                .path("delegation.id");

        DelegationFixtures.publishAgent("agent.permissions_changed", a, tenant, "active", List.of("crm:*:read"), 2);

        await().atMost(Duration.ofSeconds(20)).until(() -> "revoked".equals(status(lentOn)));
        assertEquals("revoked", status(write));
        assertEquals("active", status(read));
        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            JsonNode event = reader.awaitEvent(TopicReader.typeAndSubject("delegation.revoked", a),
                    Duration.ofSeconds(20));
            assertEquals(Set.of(write, lentOn), new HashSet<>(strings(event.path("data").path("delegation_ids"))));
            assertEquals("agent.permissions_changed", event.path("data").path("reason").asText());
        }
    }

    @Test
    void aSuspendedAgentsTokenStopsWorkingHere() {
        asAgent(d, tenant).get("/v1/delegations").then().statusCode(200);
        DelegationFixtures.publishAgent("agent.suspended", d, tenant, "suspended", List.of("crm:contacts:read"), 2);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> asAgent(d, tenant).get("/v1/delegations").then().extract().statusCode() == 401);
        asAgent(d, tenant).get("/v1/delegations").then().body("detail", equalTo("the access token has been revoked"));
    }

    @Test
    void grantsExpireWithoutAnyoneAsking() {
        String id = asHuman(owner, tenant, "owner").body(grantBody(a, 1, "crm:contacts:read"))
                .post("/v1/delegations").then().statusCode(201).extract().path("delegation.id");
        try (TopicReader reader = TopicReader.of(Topics.DELEGATION)) {
            JsonNode event = reader.awaitEvent(TopicReader.typeAndSubject("delegation.expired", id), Duration.ofSeconds(20));
            assertEquals(a, event.path("data").path("agent_id").asText());
        }
        asHuman(owner, tenant, "owner").get("/v1/delegations/" + id).then().body("status", equalTo("expired"));
        asAgent(a, tenant).post("/v1/delegations/" + id + "/token").then().statusCode(409);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
