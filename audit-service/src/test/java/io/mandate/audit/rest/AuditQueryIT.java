package io.mandate.audit.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filters of {@code GET /v1/audit/events} and the agent activity endpoint. */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class AuditQueryIT {

    private static final String ADMIN = "Bearer test-admin-token";

    String tenantId;
    String agentId;
    String ownerId;

    private RequestSpecification asAdmin() {
        return given().header("Authorization", ADMIN).header("Mandate-Tenant", tenantId);
    }

    private static String token(String subject, String tenantId, Map<String, Object> claims) {
        Map<String, Object> all = new HashMap<>(claims);
        all.put("tenant_id", tenantId);
        return "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(subject, all, Duration.ofMinutes(5));
    }

    /** An event as the service that owns {@code topic} would write it. */
    private static String event(String topic, String tenantId, String type, String agentId, String actorType,
            String actorId, String time, String extra) {
        return TestEvents.withSource(Topics.ownerSource(topic).orElseThrow(), type).subject(agentId).time(time)
                .tenant(tenantId).partitionKey(agentId).actor(actorType, actorId)
                .data("""
                        {"tenant_id":"%s","agent_id":"%s"%s}""".formatted(tenantId, agentId, extra)).json();
    }

    /** Five events about one agent, an hour apart, from two actors; one failure, one delegation. */
    @BeforeEach
    void recordEvents() {
        tenantId = "ten_query" + TypeIds.randomToken(5).toLowerCase();
        agentId = TypeIds.newId("agt");
        ownerId = TypeIds.newId("usr");
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, event(Topics.IDENTITY, tenantId, "agent.registered", agentId, "human", ownerId,
                    "2026-11-22T08:00:00Z", ""));
            writer.send(Topics.TOKEN, agentId, event(Topics.TOKEN, tenantId, "agent.verification_failed", agentId, "agent", agentId,
                    "2026-11-22T09:00:00Z", ",\"reason\":\"invalid_client\""));
            writer.send(Topics.TOKEN, agentId, event(Topics.TOKEN, tenantId, "agent.verified", agentId, "agent", agentId,
                    "2026-11-22T10:00:00Z", ""));
            writer.send(Topics.DELEGATION, agentId, event(Topics.DELEGATION, tenantId, "delegation.granted", agentId, "human", ownerId,
                    "2026-11-22T11:00:00Z", ",\"delegation_id\":\"dlg_1\""));
            writer.send(Topics.TOKEN, agentId, event(Topics.TOKEN, tenantId, "agent.verified", agentId, "agent", agentId,
                    "2026-11-22T12:00:00Z", ""));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> asAdmin().get("/v1/audit/events")
                .then().extract().<List<Object>>path("items").size() == 5);
    }

    private List<String> types(String query) {
        return asAdmin().get("/v1/audit/events?" + query).then().statusCode(200).extract().path("items.type");
    }

    @Test
    void eachFilterNarrowsTheTrail() {
        assertEquals(List.of("agent.verification_failed"), types("outcome=failure"));
        assertEquals(4, types("outcome=success").size());
        assertEquals(Set.of("delegation.granted", "agent.registered"), Set.copyOf(types("actor_id=" + ownerId)));
        assertEquals(List.of("delegation.granted"), types("delegation_id=dlg_1"));
        assertEquals(2, types("type=agent.verified&agent_id=" + agentId).size());
        assertEquals(Set.of("delegation.granted", "agent.verified"),
                Set.copyOf(types("from=2026-11-22T10:00:00Z&to=2026-11-22T11:30:00Z")));
        asAdmin().queryParam("from", "2026-11-22T11:00:00+01:00").queryParam("to", "2026-11-22T12:30:00+01:00")
                .get("/v1/audit/events").then().statusCode(200).body("items.type", hasItem("agent.verified"))
                .body("items", hasSize(2));
        assertEquals(List.of(), types("agent_id=agt_nobody"));
        asAdmin().get("/v1/audit/events?delegation_id=dlg_1").then()
                .body("items[0].delegation_id", equalTo("dlg_1")).body("items[0].outcome", equalTo("success"))
                .body("items[0].actor.id", equalTo(ownerId));
    }

    private List<String> ids(String query) {
        return asAdmin().get("/v1/audit/events?" + query).then().statusCode(200).extract().path("items.id");
    }

    @Test
    void pagesRunOldestFirstOrNewestFirst() {
        List<String> newestFirst = ids("limit=5");
        String cursor = asAdmin().get("/v1/audit/events?order=asc&limit=3").then().statusCode(200)
                .body("next_cursor", notNullValue()).extract().path("next_cursor");
        List<String> oldestFirst = new ArrayList<>(ids("order=asc&limit=3"));
        asAdmin().get("/v1/audit/events?order=asc&limit=3&cursor=" + cursor).then().statusCode(200)
                .body("next_cursor", nullValue());
        oldestFirst.addAll(ids("order=asc&limit=3&cursor=" + cursor));
        Collections.reverse(oldestFirst);
        assertEquals(newestFirst, oldestFirst);
        assertEquals(List.of(newestFirst.get(0)), ids("limit=1"));
    }

    @Test
    void badFiltersAreRefusedWithTheFieldNamed() {
        Map<String, String> bad = Map.of("from=yesterday", "from", "to=2026-11-22", "to", "outcome=maybe", "outcome",
                "order=sideways", "order", "agentid=" + agentId, "agentid", "limit=0", "limit", "limit=1000000", "limit",
                "from=2026-11-22T12:00:00Z&to=2026-11-22T11:00:00Z", "from", "cursor=%21%21", "cursor");
        bad.forEach((query, field) -> asAdmin().get("/v1/audit/events?" + query).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field)));
    }

    @Test
    void anAgentReadsItsOwnActivityWithTotalAndOffset() {
        String self = token(agentId, tenantId, Map.of("client_id", agentId));
        List<String> newestFirst = ids("agent_id=" + agentId);
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 6; offset += 2) {
            paged.addAll(given().header("Authorization", self).get("/v1/agents/" + agentId + "/activity?limit=2&offset="
                    + offset).then().statusCode(200).body("agent_id", equalTo(agentId)).body("total", equalTo(5))
                    .body("limit", equalTo(2)).body("offset", equalTo(offset)).extract().<List<String>>path("activities.id"));
        }
        assertEquals(newestFirst, paged, "limit/offset pages, newest first, cover the activity once");
        String other = TypeIds.newId("agt");
        given().header("Authorization", token(other, tenantId, Map.of("client_id", other)))
                .get("/v1/agents/" + agentId + "/activity").then().statusCode(403);
        given().header("Authorization", token(TypeIds.newId("usr"), tenantId, Map.of("roles", List.of("auditor"))))
                .get("/v1/agents/" + agentId + "/activity").then().statusCode(200).body("total", equalTo(5));
        given().header("Authorization", token(TypeIds.newId("usr"), "ten_elsewhere", Map.of("roles", List.of("auditor"))))
                .get("/v1/agents/" + agentId + "/activity").then().statusCode(200).body("total", equalTo(0))
                .body("activities", hasSize(0));
        given().header("Authorization", token(TypeIds.newId("usr"), tenantId, Map.of("roles", List.of("owner"))))
                .get("/v1/agents/" + agentId + "/activity").then().statusCode(403);
        for (String query : List.of("offset=-1", "offset=x", "offset=10001", "limit=0")) {
            given().header("Authorization", self).get("/v1/agents/" + agentId + "/activity?" + query).then()
                    .statusCode(400);
        }
    }

    /** OCSF 1.3: what every event must carry, and what each class adds. */
    private static final List<String> BASE_REQUIRED = List.of("activity_id", "category_uid", "class_uid", "metadata",
            "severity_id", "time", "type_uid");
    private static final Map<Integer, List<String>> CLASS_REQUIRED = Map.of(3001, List.of("user"), 3002,
            List.of("user"), 3005, List.of("privileges", "user"), 6003, List.of("actor", "api", "src_endpoint"));

    @Test
    void exportStreamsNdjsonWithTheChainAndOcsfWithEachClassesRequiredFields() throws Exception {
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.WEBHOOK, "whk_1", event(Topics.WEBHOOK, tenantId, "webhook.endpoint_created", agentId, "human", ownerId,
                    "2026-11-22T13:00:00Z", ""));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> types("limit=50").size() == 6);

        String ndjson = asAdmin().get("/v1/audit/export").then().statusCode(200)
                .contentType("application/x-ndjson").extract().asString();
        List<String> lines = ndjson.lines().toList();
        assertEquals(6, lines.size());
        var first = new JsonPath(lines.get(0));
        assertEquals(1, first.getInt("seq"));
        assertEquals(tenantId, first.getString("chain"));
        assertEquals("0".repeat(64), first.getString("prev_hash"));
        assertEquals(tenantId, first.getString("event.tenantid"));
        assertEquals(first.getString("hash"), new JsonPath(lines.get(1)).getString("prev_hash"));

        String ocsf = asAdmin().get("/v1/audit/export?format=ocsf&from=2026-11-22T09:00:00Z").then().statusCode(200)
                .extract().asString();
        Map<String, Integer> classes = new HashMap<>();
        for (String line : ocsf.lines().toList()) {
            var record = new JsonPath(line);
            int classUid = record.getInt("class_uid");
            for (String field : BASE_REQUIRED) {
                assertTrue(record.get(field) != null, field + " missing in " + line);
            }
            for (String field : CLASS_REQUIRED.get(classUid)) {
                assertTrue(record.get(field) != null, field + " missing for class " + classUid);
            }
            assertEquals(classUid * 100L + record.getInt("activity_id"), record.getLong("type_uid"));
            assertEquals(tenantId, record.getString("metadata.tenant_uid"));
            assertEquals("Mandate", record.getString("metadata.product.vendor_name"));
            assertTrue(record.getString("metadata.version").startsWith("1."));
            classes.put(record.getString("metadata.event_code"), classUid);
        }
        assertEquals(Map.of("agent.verification_failed", 3002, "agent.verified", 3002, "delegation.granted", 3005,
                "webhook.endpoint_created", 6003), classes, "from= left out the 08:00 registration");
        var failed = ocsf.lines().map(JsonPath::new)
                .filter(r -> r.getString("metadata.event_code").equals("agent.verification_failed")).findFirst().get();
        assertEquals(2, failed.getInt("status_id"));
        assertEquals("invalid_client", failed.getString("status_detail"));
        assertEquals(300201, failed.getInt("type_uid"));
        assertEquals(600301, ocsf.lines().map(JsonPath::new)
                .filter(r -> r.getString("metadata.event_code").equals("webhook.endpoint_created")).findFirst().get()
                .getInt("type_uid"), "an endpoint created is API Activity: Create");

        // The same OCSF records stream to Kafka for SIEM pipelines.
        String failedId = failed.getString("metadata.uid");
        try (TopicReader siem = TopicReader.of(Topics.AUDIT_OCSF)) {
            JsonNode streamed = siem.awaitEvent(r -> failedId.equals(r.path("metadata").path("uid").asText()),
                    Duration.ofSeconds(20));
            assertEquals(300201, streamed.path("type_uid").asInt());
            assertEquals(tenantId, streamed.path("metadata").path("tenant_uid").asText());
            assertEquals("invalid_client", streamed.path("status_detail").asText());
        }

        asAdmin().get("/v1/audit/export?format=csv").then().statusCode(400).body("errors.field", hasItem("format"));
        asAdmin().get("/v1/audit/export?from=noon").then().statusCode(400).body("errors.field", hasItem("from"));
        given().header("Authorization", token(agentId, tenantId, Map.of("client_id", agentId)))
                .get("/v1/audit/export").then().statusCode(403);
    }
}
