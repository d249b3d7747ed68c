package io.mandate.examples.reports;

import io.mandate.resourceserver.MandatePrincipal;
import io.mandate.resourceserver.MandateToken;
import io.mandate.resourceserver.jaxrs.RequiresScopes;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reports, in memory: reading needs {@code reports:read}, writing {@code reports:write}. Each report records who
 * wrote it: the person a delegated token speaks for, and the agent that acted.
 */
@Path("/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ReportsResource {

    public record NewReport(String title) {
    }

    private final List<Map<String, Object>> reports = new CopyOnWriteArrayList<>();

    @GET
    @RequiresScopes("reports:read")
    public Map<String, Object> list(@Context SecurityContext security) {
        return Map.of("items", reports, "caller", WhoAmIResource.describe(caller(security)));
    }

    @POST
    @RequiresScopes("reports:write")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(NewReport report, @Context SecurityContext security) {
        if (report == null || report.title() == null || report.title().isBlank() || report.title().length() > 200) {
            return Response.status(400).entity(Map.of("error", "a title of 1 to 200 characters is required")).build();
        }
        MandateToken caller = caller(security);
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("id", reports.size() + 1);
        stored.put("title", report.title().strip());
        stored.put("author", caller.subject());
        stored.put("acting_agent", caller.agentId());
        stored.put("tenant_id", caller.tenantId());
        reports.add(stored);
        return Response.status(201).entity(stored).build();
    }

    static MandateToken caller(SecurityContext security) {
        return ((MandatePrincipal) security.getUserPrincipal()).token();
    }
}
