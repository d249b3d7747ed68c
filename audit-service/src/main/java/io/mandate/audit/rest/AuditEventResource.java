package io.mandate.audit.rest;

import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.audit.AuditEvent;
import io.mandate.audit.rest.AuditEventViews.AuditEventView;
import io.mandate.audit.repository.AuditEventRepository;
import io.mandate.audit.service.AuditAccess;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Query of the audit trail, newest first. Auditors and tenant admins read
 * their tenant; the platform admin names one ({@code Mandate-Tenant}), or {@code _platform} for the
 * events of no tenant (failed logins of unknown clients); an agent reads only its own activity.
 */
@Path("/v1/audit/events")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AuditEventResource {

    private final AuditEventRepository events;
    private final AuditEventViews views;
    private final AuditAccess access;

    AuditEventResource(AuditEventRepository events, AuditEventViews views, AuditAccess access) {
        this.events = events;
        this.views = views;
        this.access = access;
    }

    private static final Set<String> FILTERS = Set.of("agent_id", "actor_id", "type", "outcome", "delegation_id", "from",
            "to", "order", "limit", "cursor");

    @GET
    public Page<AuditEventView> search(@Context UriInfo uri, @QueryParam("agent_id") String agentId,
            @QueryParam("actor_id") String actorId, @QueryParam("type") String type,
            @QueryParam("outcome") String outcome, @QueryParam("delegation_id") String delegationId,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("order") String order,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        for (String name : uri.getQueryParameters().keySet()) {
            if (!FILTERS.contains(name)) {
                throw ProblemException.invalid(name, "not a filter; use " + String.join(", ", new TreeSet<>(FILTERS)));
            }
        }
        agentId = access.agentReadBy(agentId);
        if (outcome != null && !outcome.equals("success") && !outcome.equals("failure")) {
            throw ProblemException.invalid("outcome", "success or failure");
        }
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw ProblemException.invalid("order", "asc (oldest first) or desc (newest first, the default)");
        }
        Instant since = QueryParams.time("from", from);
        Instant until = QueryParams.time("to", to);
        if (since != null && until != null && !since.isBefore(until)) {
            throw ProblemException.invalid("from", "must be before to");
        }
        int size = Page.limit(limit);
        var filter = new AuditEventRepository.Filter(access.tenant(), agentId, actorId, type, outcome, delegationId,
                since, until);
        List<AuditEvent> rows = events.search(filter, "asc".equals(order), Page.numberAfter(cursor), size);
        return Page.of(rows, size, row -> Long.toString(row.seq), views::view);
    }
}
