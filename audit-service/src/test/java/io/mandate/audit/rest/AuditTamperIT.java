package io.mandate.audit.rest;

import static io.mandate.audit.rest.AuditChains.ADMIN;
import static io.mandate.audit.rest.AuditChains.as;
import static io.mandate.audit.rest.AuditChains.asService;
import static io.mandate.audit.rest.AuditChains.sql;
import static io.mandate.audit.rest.AuditChains.tenantWithEvents;
import static io.mandate.audit.rest.AuditChains.verify;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.api.TypeIds;
import io.mandate.auditchain.OfflineVerifier;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tampering by audit-service's own database role (which may append records, checkpoints and purge
 * markers, delete records and move a chain's head, but cannot sign) is found by {@code
 * /v1/audit/verify} at the first position it breaks, and by the offline verifier from an export.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class AuditTamperIT {

    private static long checkpoint(String tenantId) {
        return as(tenantId).post("/v1/audit/checkpoints").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static void assertBrokenAt(String tenantId, long seq, String reasonStart) {
        JsonPath result = verify(tenantId, null);
        assertFalse(result.getBoolean("valid"), result.prettify());
        assertEquals(seq, result.getLong("first_broken_seq"), result.prettify());
        assertTrue(result.getString("reason").startsWith(reasonStart), result.getString("reason"));
    }

    @Test
    void aTailCutOffWithTheHeadMovedBackIsFound() {
        String tenantId = tenantWithEvents(5);
        long signed = checkpoint(tenantId);
        asService("delete from audit_event where chain = ?1 and chain_seq > 3", tenantId);
        asService("update audit_chain_head set seq = 3, hash = (select hash from audit_event where chain = ?1 and chain_seq = 3)"
                + " where chain = ?2", tenantId, tenantId);
        assertBrokenAt(tenantId, 4, "records after seq 3 are missing: checkpoint " + signed + " is signed for seq 5");
        assertTrue(verify(tenantId, "to=2").getBoolean("valid"), "what remains still links up");
    }

    @Test
    void aWholeTrailDeletedWithItsHeadIsFound() {
        String tenantId = tenantWithEvents(2);
        checkpoint(tenantId);
        asService("delete from audit_event where chain = ?1", tenantId);
        asService("delete from audit_chain_head where chain = ?1", tenantId);
        assertBrokenAt(tenantId, 1, "records after seq 0 are missing");
    }

    /** As the service's role: records 1 and 2 deleted behind a purge marker carrying {@code keyId} and {@code signature}. */
    private static void removePrefixBehindAForgedMarker(String tenantId, long checkpointId, String keyId, byte[] signature) {
        asService("""
                insert into audit_purge (chain, up_to_seq, hash_at_seq, checkpoint_id, purged, purged_at, key_id, signature)
                select chain, chain_seq, hash, ?1, 2, now(), cast(?2 as text), cast(?3 as bytea)
                from audit_event where chain = ?4 and chain_seq = 2""", checkpointId, keyId, signature, tenantId);
        asService("delete from audit_event where chain = ?1 and chain_seq <= 2", tenantId);
    }

    @Test
    void aPrefixRemovedBehindAForgedPurgeMarkerIsFound() {
        String tenantId = tenantWithEvents(5);
        removePrefixBehindAForgedMarker(tenantId, checkpoint(tenantId), null, null);
        assertBrokenAt(tenantId, 1, "purge marker");

        // A signature that is not an audit key's (the real key id, 64 made-up bytes) does no better.
        String other = tenantWithEvents(3);
        long otherSigned = checkpoint(other);
        String keyId = as(other).get("/v1/audit/checkpoints").then().extract().path("items[0].key_id");
        removePrefixBehindAForgedMarker(other, otherSigned, keyId, new byte[64]);
        assertBrokenAt(other, 1, "purge marker");
    }

    @Test
    void anEditedOrForgedCheckpointIsFound() {
        String tenantId = tenantWithEvents(5);
        long signed = checkpoint(tenantId);
        // Only the administrator can edit one (the service's role may not): moved to seq 3, with record 3's hash.
        sql("update audit_checkpoint set seq = 3, hash = (select hash from audit_event where chain = ?1 and chain_seq = 3)"
                + " where id = ?2", tenantId, signed);
        assertBrokenAt(tenantId, 3, "checkpoint " + signed + " is not signed by an audit key");

        String other = tenantWithEvents(4);
        String keyId = as(other).post("/v1/audit/checkpoints").then().statusCode(201).extract().path("key_id");
        asService("""
                insert into audit_checkpoint (chain, seq, hash, created_at, key_id, signature)
                select chain, chain_seq, hash, now(), cast(?1 as text), cast(?2 as bytea)
                from audit_event where chain = ?3 and chain_seq = 2""",
                keyId, new byte[64], other);
        assertBrokenAt(other, 2, "checkpoint");
    }

    @Test
    void aGenuinePurgeIsSignedAndStillVerifies() {
        String tenantId = "ten_chain" + TypeIds.randomToken(5).toLowerCase();
        String agentId = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter()) {
            for (int i = 1; i <= 3; i++) {
                writer.send(Topics.TOKEN, agentId, AuditChains.event(Topics.TOKEN, tenantId, agentId, i)
                        .replace("2026-11-22T10:00:0", "2020-01-01T10:00:0"));
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> verify(tenantId, null).getLong("checked") == 3);
        String admin = AuditChains.human(tenantId, "tenant_admin");
        given().header("Authorization", admin).contentType("application/json").body(java.util.Map.of("days", 30))
                .put("/v1/audit/retention").then().statusCode(200);
        given().header("Authorization", admin).post("/v1/audit/retention/purge").then().statusCode(200)
                .body("purged", equalTo(3));
        JsonPath afterPurge = verify(tenantId, null);
        assertTrue(afterPurge.getBoolean("valid"), afterPurge.prettify());
        // Its signature covers what it says: another count makes it a forgery.
        sql("update audit_purge set purged = 2 where chain = ?1", tenantId);
        assertBrokenAt(tenantId, 1, "purge marker");
    }

    @Test
    void theOfflineVerifierChecksAnExportAgainstThePublishedKeys() throws Exception {
        String tenantId = tenantWithEvents(6);
        checkpoint(tenantId);
        List<String> export = as(tenantId).get("/v1/audit/export").then().statusCode(200).extract().asString()
                .lines().toList();
        String keys = given().get("/.well-known/audit-keys").then().statusCode(200).extract().asString();
        String checkpoints = as(tenantId).get("/v1/audit/checkpoints").then().statusCode(200).extract().asString();

        OfflineVerifier.Result intact = OfflineVerifier.verify(export, keys, List.of(checkpoints));
        assertTrue(intact.valid(), intact.toString());
        assertEquals(6, intact.checked());

        List<String> edited = new ArrayList<>(export);
        edited.set(2, edited.get(2).replace("\"n\":3", "\"n\":33"));
        OfflineVerifier.Result changed = OfflineVerifier.verify(edited, keys, List.of(checkpoints));
        assertEquals(3L, changed.firstBrokenSeq(), changed.toString());
        assertEquals("record changed after it was written", changed.reason());

        OfflineVerifier.Result cut = OfflineVerifier.verify(export.subList(0, 4), keys, List.of(checkpoints));
        assertEquals(5L, cut.firstBrokenSeq(), cut.toString());

        String forged = checkpoints.replaceFirst("\"signature\":\"[A-Za-z0-9_-]{10}", "\"signature\":\"AAAAAAAAAA");
        OfflineVerifier.Result badSignature = OfflineVerifier.verify(export, keys, List.of(forged));
        assertEquals(6L, badSignature.firstBrokenSeq(), badSignature.toString());
        assertTrue(badSignature.reason().endsWith("is not signed by an audit key"), badSignature.reason());

        OfflineVerifier.Result otherKeys = OfflineVerifier.verify(export, "{\"keys\":[]}", List.of(checkpoints));
        assertFalse(otherKeys.valid(), "a checkpoint is only as good as the key that is published for it");
    }

    @Test
    void eventsOfNoTenantAreThePlatformAdminsToRead() {
        String clientId = "agt_unknown" + TypeIds.randomToken(6).toLowerCase();
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.TOKEN, clientId, TestEvents.from("token-service", "agent.verification_failed")
                    .subject(clientId).time("2026-11-22T10:00:00Z").partitionKey(clientId)
                    .data(Map.of("client_id", clientId, "reason", "unknown_client")).json());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> as("_platform").get("/v1/audit/events?type=agent.verification_failed")
                .then().statusCode(200).extract().<List<String>>path("items.subject").contains(clientId));
        as("_platform").get("/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
        // A tenant's own auditor never sees them, whatever tenant it names.
        given().header("Authorization", AuditChains.human("ten_someone", "auditor")).header("Mandate-Tenant", "_platform")
                .get("/v1/audit/events").then().statusCode(200)
                .body("items.subject", org.hamcrest.Matchers.not(hasItem(clientId)));
        given().header("Authorization", ADMIN).header("Mandate-Tenant", "ten_someone").get("/v1/audit/events").then()
                .statusCode(200).body("items.subject", org.hamcrest.Matchers.not(hasItem(clientId)));
    }
}
