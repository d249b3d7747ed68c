package io.mandate.audit.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.audit.AuditEvent;
import io.mandate.testsupport.TestEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a trail record reads in OCSF 1.3 for a SIEM: class and activity by type, outcome, who and from where. */
class OcsfTest {

    private final Ocsf ocsf = new Ocsf(new ObjectMapper());

    private static AuditEvent row(String type, String outcome, String data) {
        AuditEvent row = new AuditEvent();
        row.id = "01a24306-fae3-782c-9dc7-0f95aca1045f";
        row.tenantId = "ten_1";
        row.type = type;
        row.source = "/mandate/token-service";
        row.subject = "agt_1";
        row.agentId = data.contains("agent_id") ? "agt_1" : null;
        row.actorType = "agent";
        row.actorId = "agt_1";
        row.time = Instant.parse("2026-11-22T10:00:00Z");
        row.recordedAt = Instant.parse("2026-11-22T10:00:01Z");
        row.outcome = outcome;
        row.event = TestEvents.from("token-service", type).id(row.id).subject("agt_1").time("2026-11-22T10:00:00Z")
                .tenant("ten_1").data(data).json();
        return row;
    }

    @Test
    void aTokenIssuedIsALogonWithTheClientsAddress() {
        JsonNode out = ocsf.map(row("agent.verified", "success",
                "{\"tenant_id\":\"ten_1\",\"agent_id\":\"agt_1\",\"ip\":\"203.0.113.7\",\"scopes\":[\"crm:contacts:read\"]}"));
        assertEquals(3002, out.path("class_uid").asInt());
        assertEquals(300201, out.path("type_uid").asLong());
        assertEquals("Authentication: Logon", out.path("type_name").asText());
        assertEquals("Success", out.path("status").asText());
        assertEquals("203.0.113.7", out.path("src_endpoint").path("ip").asText());
        assertEquals("agt_1", out.path("user").path("uid").asText());
        assertEquals("ten_1", out.path("metadata").path("tenant_uid").asText());
        assertEquals(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli(), out.path("time").asLong());
        assertEquals("agent.verified", out.path("unmapped").path("type").asText(), "the Mandate event stays whole");
    }

    @Test
    void aFailedLogonIsMediumWithItsReason() {
        JsonNode out = ocsf.map(row("agent.verification_failed", "failure",
                "{\"tenant_id\":\"ten_1\",\"agent_id\":\"agt_1\",\"reason\":\"secret_mismatch\",\"ip\":\"203.0.113.7\"}"));
        assertEquals(300201, out.path("type_uid").asLong());
        assertEquals("Failure", out.path("status").asText());
        assertEquals(3, out.path("severity_id").asInt());
        assertEquals("secret_mismatch", out.path("status_detail").asText());
    }

    @Test
    void delegationsAreUserAccessManagementWithTheirPrivileges() {
        JsonNode out = ocsf.map(row("delegation.granted", "success",
                "{\"tenant_id\":\"ten_1\",\"agent_id\":\"agt_1\",\"user_id\":\"usr_1\",\"scopes\":[\"crm:contacts:read\"]}"));
        assertEquals(300501, out.path("type_uid").asLong());
        assertEquals("crm:contacts:read", out.path("privileges").get(0).asText());
        assertEquals(300502, ocsf.map(row("delegation.revoked", "success", "{\"tenant_id\":\"ten_1\"}"))
                .path("type_uid").asLong());
    }

    @Test
    void whatHasNoClassOfItsOwnIsApiActivityAboutItsResource() {
        JsonNode created = ocsf.map(row("webhook.endpoint_created", "success", "{\"tenant_id\":\"ten_1\"}"));
        assertEquals(600301, created.path("type_uid").asLong());
        assertEquals("webhook", created.path("resources").get(0).path("type").asText());
        assertFalse(created.has("user"));
        assertEquals(600303, ocsf.map(row("webhook.secret_rotated", "success", "{\"tenant_id\":\"ten_1\"}"))
                .path("type_uid").asLong());
        assertEquals(600399, ocsf.map(row("signing_key.something", "success", "{}")).path("type_uid").asLong());
    }
}
