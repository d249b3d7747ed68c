package io.mandate.audit.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.audit.AuditEvent;
import io.mandate.audit.repository.AuditEventRepository;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * Query of the audit trail, newest first (SPEC §4 audit-service). Auditors and tenant admins read
 * their tenant; the platform admin names one ({@code Mandate-Tenant}); an agent reads only its own
 * activity.
 */
@Path("/v1/audit/events")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AuditEventResource {

    private final AuditEventRepository events;
    private final ObjectMapper mapper;
    private final CurrentCaller caller;

    AuditEventResource(AuditEventRepository events, ObjectMapper mapper, CurrentCaller caller) {
        this.events = events;
        this.mapper = mapper;
        this.caller = caller;
    }

    public record Actor(String type, String id) {
    }

    public record AuditEventView(String id, String type, String source, String subject, String tenantId, String agentId,
            Actor actor, Instant time, Instant recordedAt, JsonNode data) {
    }

    @GET
    public Page<AuditEventView> search(@QueryParam("agent_id") String agentId, @QueryParam("type") String type,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Caller who = caller.get();
        if (who.isAgent()) {
            if (agentId != null && !agentId.equals(who.id())) {
                throw ProblemException.forbidden("forbidden", "an agent reads only its own activity");
            }
            agentId = who.id();
        } else {
            AuditReaders.require(who);
        }
        int size = Page.limit(limit);
        List<AuditEvent> rows = events.search(caller.tenantId(), agentId, type, beforeSeq(cursor), size);
        List<AuditEventView> items = rows.stream().limit(size).map(this::view).toList();
        String next = rows.size() > size ? Page.encodeCursor(Long.toString(rows.get(size - 1).seq)) : null;
        return new Page<>(items, next);
    }

    private static Long beforeSeq(String cursor) {
        String position = Page.decodeCursor(cursor);
        if (position == null) {
            return null;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("cursor", "not a cursor this service issued");
        }
    }

    private AuditEventView view(AuditEvent row) {
        JsonNode data;
        try {
            data = mapper.readTree(row.event).get("data");
        } catch (Exception e) {
            throw new IllegalStateException("stored event " + row.id + " is not JSON", e);
        }
        return new AuditEventView(row.id, row.type, row.source, row.subject, row.tenantId, row.agentId,
                new Actor(row.actorType, row.actorId), row.time, row.recordedAt, data);
    }
}
