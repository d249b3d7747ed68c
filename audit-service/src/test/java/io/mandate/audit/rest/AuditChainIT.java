package io.mandate.audit.rest;

import static io.mandate.audit.rest.AuditChains.as;
import static io.mandate.audit.rest.AuditChains.event;
import static io.mandate.audit.rest.AuditChains.human;
import static io.mandate.audit.rest.AuditChains.sql;
import static io.mandate.audit.rest.AuditChains.tenantWithEvents;
import static io.mandate.audit.rest.AuditChains.verify;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.api.TypeIds;
import io.mandate.auditchain.CanonicalJson;
import io.mandate.auditchain.ChainLinks;
import io.mandate.eventing.envelope.Topics;
import io.mandate.jose.Ed25519;
import io.mandate.sql.Sql;
import io.mandate.sql.SqlException;
import io.mandate.testsupport.TestInfra;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hash chain, its verification, and signed checkpoints, against tampering done straight in the database. */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class AuditChainIT {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Inject
    Sql sql;

    @Test
    void theServiceItselfCannotChangeAnAuditRow() {
        String tenantId = tenantWithEvents(1);
        SqlException refused = assertThrows(SqlException.class,
                () -> sql.update("update audit_event set outcome = 'failure' where chain = ?1", tenantId));
        assertEquals(INSUFFICIENT_PRIVILEGE, refused.sqlState(), refused.getMessage());
        assertTrue(verify(tenantId, null).getBoolean("valid"));
    }

    @Test
    void theServiceItselfCannotChangeOrRemoveACheckpointOrAPurgeMarker() {
        tenantWithEvents(1);
        for (String statement : List.of("update audit_checkpoint set seq = seq", "delete from audit_checkpoint",
                "update audit_purge set up_to_seq = up_to_seq", "delete from audit_purge", "truncate audit_purge")) {
            SqlException refused = assertThrows(SqlException.class, () -> sql.update(statement), statement);
            assertEquals(INSUFFICIENT_PRIVILEGE, refused.sqlState(), statement + ": " + refused.getMessage());
        }
    }

    @Test
    void anIntactChainVerifiesRecordByRecord() {
        String tenantId = tenantWithEvents(6);
        JsonPath all = verify(tenantId, null);
        assertTrue(all.getBoolean("valid"));
        assertEquals(6, all.getLong("checked"));
        JsonPath middle = verify(tenantId, "from=2&to=4");
        assertTrue(middle.getBoolean("valid"));
        assertEquals(3, middle.getLong("checked"));
    }

    @Test
    void aRowEditedInTheDatabaseIsFoundAtItsSeq() {
        String tenantId = tenantWithEvents(5);
        sql("update audit_event set event = jsonb_set(event, '{data,agent_id}', '\"agt_someone_else\"') "
                + "where chain = ?1 and chain_seq = 3", tenantId);
        JsonPath result = verify(tenantId, null);
        assertFalse(result.getBoolean("valid"));
        assertEquals(3, result.getLong("first_broken_seq"));
        assertEquals(2, result.getLong("checked"));
        assertEquals("record changed after it was written", result.getString("reason"));
        assertTrue(verify(tenantId, "from=4").getBoolean("valid"), "the records after it still link to each other");
    }

    @Test
    void aDeletedRowIsFoundAtItsSeq() {
        String tenantId = tenantWithEvents(4);
        sql("delete from audit_event where chain = ?1 and chain_seq = 2", tenantId);
        JsonPath result = verify(tenantId, null);
        assertFalse(result.getBoolean("valid"));
        assertEquals(2, result.getLong("first_broken_seq"));
        assertEquals("record missing", result.getString("reason"));

        String other = tenantWithEvents(3);
        sql("delete from audit_event where chain = ?1 and chain_seq = 3", other);
        assertEquals(3, verify(other, null).getLong("first_broken_seq"), "the newest record is missed too");
    }

    @Test
    void checkpointsAreSignedWithThePublishedKeyAndCatchAChainRebuiltAfterwards() throws Exception {
        String tenantId = tenantWithEvents(4);
        JsonPath checkpoint = as(tenantId).post("/v1/audit/checkpoints").then().statusCode(201)
                .body("seq", equalTo(4)).body("chain", equalTo(tenantId)).extract().jsonPath();
        as(tenantId).get("/v1/audit/checkpoints").then().statusCode(200)
                .body("items.id", hasItem(checkpoint.getInt("id")));

        // Offline check: the payload names the chain, seq and hash, and the published key signed it.
        JsonPath payload = new JsonPath(checkpoint.getString("payload"));
        assertEquals(tenantId, payload.getString("chain"));
        assertEquals(checkpoint.getString("hash"), payload.getString("hash"));
        List<Map<String, String>> keys = given().get("/.well-known/audit-keys").then().statusCode(200)
                .header("Cache-Control", startsWith("public")).extract().path("keys");
        Map<String, String> jwk = keys.stream().filter(k -> k.get("kid").equals(checkpoint.getString("key_id")))
                .findFirst().orElseThrow();
        assertEquals("Ed25519", jwk.get("crv"));
        byte[] signature = Base64.getUrlDecoder().decode(checkpoint.getString("signature"));
        byte[] signed = checkpoint.getString("payload").getBytes(StandardCharsets.UTF_8);
        byte[] key = Base64.getUrlDecoder().decode(jwk.get("x"));
        assertTrue(Ed25519.verify(key, signed, signature));
        byte[] other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        assertFalse(Ed25519.verify(Arrays.copyOfRange(other, other.length - 32, other.length), signed, signature),
                "any other key refuses the signature");
        byte[] altered = checkpoint.getString("payload").replace("\"seq\":4", "\"seq\":3").getBytes(StandardCharsets.UTF_8);
        assertFalse(Ed25519.verify(key, altered, signature));
        assertTrue(verify(tenantId, null).getBoolean("valid"));
        assertEquals(checkpoint.getInt("id"), verify(tenantId, null).getInt("checkpoint.id"));

        // Someone with database access edits record 2 and recomputes every hash after it: the chain
        // is consistent again, but no longer what was signed.
        rebuildFrom(tenantId, 2, "agt_rewritten");
        JsonPath result = verify(tenantId, null);
        assertFalse(result.getBoolean("valid"));
        assertEquals(4, result.getLong("first_broken_seq"));
        assertTrue(result.getString("reason").startsWith("differs from signed checkpoint"), result.getString("reason"));
    }

    /** What an attacker with the owner's access would do: change a record and rehash the chain from there. */
    private static void rebuildFrom(String chain, long seq, String newAgentId) {
        sql("update audit_event set event = jsonb_set(event, '{data,agent_id}', to_jsonb(cast(?1 as text))) "
                + "where chain = ?2 and chain_seq = ?3", newAgentId, chain, seq);
        try (Connection owner = TestInfra.asAdmin("mandate_audit");
                PreparedStatement rows = owner.prepareStatement("select chain_seq, event::text, prev_hash from audit_event "
                        + "where chain = ? and chain_seq >= ? order by chain_seq")) {
            rows.setString(1, chain);
            rows.setLong(2, seq);
            byte[] prev = null;
            try (ResultSet rs = rows.executeQuery()) {
                while (rs.next()) {
                    prev = prev == null ? rs.getBytes(3) : prev;
                    byte[] hash = ChainLinks.hash(prev, CanonicalJson.of(rs.getString(2)));
                    sql("update audit_event set prev_hash = ?1, hash = ?2 where chain = ?3 and chain_seq = ?4",
                            prev, hash, chain, rs.getLong(1));
                    sql("update audit_chain_head set hash = ?1 where chain = ?2 and seq = ?3", hash, chain, rs.getLong(1));
                    prev = hash;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRetriedCheckpointRequestWithTheSameIdempotencyKeySignsOnce() {
        String tenantId = tenantWithEvents(2);
        String key = UUID.randomUUID().toString();
        long id = as(tenantId).header("Idempotency-Key", key).post("/v1/audit/checkpoints").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        as(tenantId).header("Idempotency-Key", key).post("/v1/audit/checkpoints").then().statusCode(200)
                .header("Idempotent-Replayed", "true").body("id", equalTo((int) id)).body("seq", equalTo(2));
        as(tenantId).get("/v1/audit/checkpoints").then().body("items", hasSize(1));
        as(tenantId).header("Idempotency-Key", UUID.randomUUID().toString()).post("/v1/audit/checkpoints").then()
                .statusCode(201);
        as(tenantId).get("/v1/audit/checkpoints").then().body("items", hasSize(2));
    }

    @Test
    void eachTenantVerifiesOnlyItsOwnChainAndOnlyAuditorsAndAdminsMayAsk() {
        String tenantId = tenantWithEvents(2);
        given().header("Authorization", human(tenantId, "auditor")).get("/v1/audit/verify").then().statusCode(200)
                .body("checked", equalTo(2));
        given().header("Authorization", human(tenantId, "tenant_admin")).post("/v1/audit/checkpoints").then()
                .statusCode(201);
        String stranger = "ten_chain" + TypeIds.randomToken(5).toLowerCase();
        given().header("Authorization", human(stranger, "auditor")).get("/v1/audit/verify").then().statusCode(200)
                .body("checked", equalTo(0)).body("checkpoint", nullValue());
        given().header("Authorization", human(stranger, "auditor")).get("/v1/audit/checkpoints").then()
                .statusCode(200).body("items", hasSize(0));
        given().header("Authorization", human(stranger, "tenant_admin")).post("/v1/audit/checkpoints").then()
                .statusCode(409).body("code", equalTo("audit_trail_empty"));
        given().header("Authorization", human(tenantId, "owner")).get("/v1/audit/verify").then().statusCode(403);
        given().header("Authorization", human(tenantId, "owner")).post("/v1/audit/checkpoints").then().statusCode(403);
        given().get("/v1/audit/verify").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void badRangesAndCursorsAreRefused() {
        String tenantId = tenantWithEvents(1);
        for (String query : List.of("from=abc", "from=0", "to=-1", "from=5&to=2", "from=1.5")) {
            as(tenantId).get("/v1/audit/verify?" + query).then().statusCode(400)
                    .contentType("application/problem+json").body("errors", notNullValue());
        }
        as(tenantId).get("/v1/audit/checkpoints?cursor=bm9wZQ").then().statusCode(400);
        as(tenantId).get("/v1/audit/checkpoints?limit=100000").then().statusCode(400);
    }

    @Test
    void theRetentionPurgeNeverRemovesARecordTheOcsfFeedHasNotPublished() throws SQLException {
        String tenantId = "ten_feed" + TypeIds.randomToken(5).toLowerCase();
        String agentId = TypeIds.newId("agt");
        List<String> ids = new java.util.ArrayList<>();
        String admin = human(tenantId, "tenant_admin");
        // Another replica holds the feed: nothing of this tenant gets published meanwhile.
        try (Connection otherReplica = TestInfra.asAdmin("mandate_audit")) {
            otherReplica.createStatement().execute("select pg_advisory_lock(hashtext('mandate.audit.ocsf-feed'))");
            try (TopicWriter writer = new TopicWriter()) {
                for (int i = 1; i <= 3; i++) {
                    String event = event(Topics.TOKEN, tenantId, agentId, i).replace("2026-11-22T10:00:0", "2020-01-01T10:00:0");
                    ids.add(new JsonPath(event).getString("id"));
                    writer.send(Topics.TOKEN, agentId, event);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> verify(tenantId, null).getLong("checked") == 3);
            given().header("Authorization", admin).contentType("application/json").body(Map.of("days", 30))
                    .put("/v1/audit/retention").then().statusCode(200);
            given().header("Authorization", admin).post("/v1/audit/retention/purge").then().statusCode(200)
                    .body("purged", equalTo(0));
            assertEquals(3, verify(tenantId, null).getLong("checked"), "every record is still there");
        }
        try (TopicReader siem = TopicReader.of(Topics.AUDIT_OCSF)) {
            given().header("Authorization", admin).post("/v1/audit/retention/purge").then().statusCode(200)
                    .body("purged", equalTo(3));
            for (String id : ids) {
                siem.awaitEvent(r -> r.path("metadata").path("uid").asText().equals(id), Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void retentionPurgesTheOldestRecordsAfterACheckpointAndWhatRemainsStillVerifies() {
        String tenantId = "ten_chain" + TypeIds.randomToken(5).toLowerCase();
        String agentId = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter()) {
            for (int i = 1; i <= 3; i++) {
                writer.send(Topics.TOKEN, agentId, event(Topics.TOKEN, tenantId, agentId, i).replace("2026-11-22T10:00:0", "2020-01-01T10:00:0"));
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> verify(tenantId, null).getLong("checked") == 3);
        String recent = Instant.now().toString();
        try (TopicWriter writer = new TopicWriter()) {
            for (int i = 4; i <= 5; i++) {
                writer.send(Topics.TOKEN, agentId, event(Topics.TOKEN, tenantId, agentId, i).replaceFirst("2026-11-22T10:00:0\\d\\.5Z", recent));
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> verify(tenantId, null).getLong("checked") == 5);

        String admin = human(tenantId, "tenant_admin");
        String auditor = human(tenantId, "auditor");
        given().header("Authorization", auditor).get("/v1/audit/retention").then().statusCode(200)
                .body("days", nullValue());
        given().header("Authorization", auditor).contentType("application/json").body(Map.of("days", 30))
                .put("/v1/audit/retention").then().statusCode(403);
        for (Object days : new Object[] {0, -5, 40_000, "thirty"}) {
            given().header("Authorization", admin).contentType("application/json").body(Map.of("days", days))
                    .put("/v1/audit/retention").then().statusCode(400);
        }
        given().header("Authorization", admin).contentType("application/json").body(Map.of("days", 30))
                .put("/v1/audit/retention").then().statusCode(200).body("days", equalTo(30));
        given().header("Authorization", auditor).post("/v1/audit/retention/purge").then().statusCode(403);
        given().header("Authorization", admin).post("/v1/audit/retention/purge").then().statusCode(200)
                .body("purged", equalTo(3));

        List<String> types = as(tenantId).get("/v1/audit/events").then().statusCode(200).extract().path("items.type");
        assertEquals(List.of("audit.purged", "agent.verified", "agent.verified"), types);
        as(tenantId).get("/v1/audit/events?type=audit.purged").then().body("items[0].data.purged", equalTo(3))
                .body("items[0].data.up_to_seq", equalTo(3));
        as(tenantId).get("/v1/audit/checkpoints").then().body("items.seq", hasItem(5));
        try (TopicReader siem = TopicReader.of(Topics.AUDIT_OCSF)) {
            siem.awaitEvent(r -> r.path("metadata").path("event_code").asText().equals("audit.purged")
                    && r.path("metadata").path("tenant_uid").asText().equals(tenantId), Duration.ofSeconds(20));
        }
        JsonPath afterPurge = verify(tenantId, null);
        assertTrue(afterPurge.getBoolean("valid"), afterPurge.prettify());
        assertEquals(3, afterPurge.getLong("checked"), "records 4, 5 and the purge record");

        sql("update audit_event set event = jsonb_set(event, '{data,n}', '99') where chain = ?1 and chain_seq = 4",
                tenantId);
        assertEquals(4, verify(tenantId, null).getLong("first_broken_seq"), "tampering after a purge is still found");
        given().header("Authorization", admin).post("/v1/audit/retention/purge").then().statusCode(200)
                .body("purged", equalTo(0));
    }
}
