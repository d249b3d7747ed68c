package io.mandate.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.audit.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** How a stored event is shown by the query endpoints. */
@ApplicationScoped
public class AuditEventViews {

    public record Actor(String type, String id) {
    }

    public record AuditEventView(String id, String type, String source, String subject, String tenantId, String agentId,
            Actor actor, String outcome, String delegationId, Instant time, Instant recordedAt, JsonNode data) {
    }

    private final ObjectMapper mapper;

    AuditEventViews(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    AuditEventView view(AuditEvent row) {
        JsonNode data = row.eventJson(mapper).get("data");
        return new AuditEventView(row.id, row.type, row.source, row.subject, row.tenantId, row.agentId,
                new Actor(row.actorType, row.actorId), row.outcome, row.delegationId, row.time, row.recordedAt, data);
    }
}
