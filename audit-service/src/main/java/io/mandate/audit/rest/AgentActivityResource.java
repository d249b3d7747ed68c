package io.mandate.audit.rest;

import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.audit.repository.AuditEventRepository;
import io.mandate.audit.rest.AuditEventViews.AuditEventView;
import io.mandate.audit.service.AuditAccess;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * One agent's activity, newest first, paged by {@code limit}/{@code offset} with the {@code total}
 * (the shape the AgentAuth SDK reads). The agent itself, and its tenant's auditors and admins.
 */
@Path("/v1/agents/{id}/activity")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AgentActivityResource {

    /** Deeper pages than this use the cursor of {@code /v1/audit/events?agent_id=}. */
    static final int MAX_OFFSET = 10_000;

    private final AuditEventRepository events;
    private final AuditEventViews views;
    private final AuditAccess access;

    AgentActivityResource(AuditEventRepository events, AuditEventViews views, AuditAccess access) {
        this.events = events;
        this.views = views;
        this.access = access;
    }

    public record Activity(String agentId, List<AuditEventView> activities, long total, int limit, int offset) {
    }

    @GET
    public Activity activity(@PathParam("id") String agentId, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset) {
        access.agentReadBy(agentId);
        int size = Page.limit(limit);
        int skip = offset(offset);
        var filter = new AuditEventRepository.Filter(access.tenant(), agentId);
        List<AuditEventView> items = events.page(filter, skip, size).stream().map(views::view).toList();
        return new Activity(agentId, items, events.count(filter), size, skip);
    }

    private static int offset(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 0 && parsed <= MAX_OFFSET) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ProblemException.invalid("offset", "a whole number from 0 to " + MAX_OFFSET
                + "; page further with /v1/audit/events?agent_id= and its cursor");
    }
}
