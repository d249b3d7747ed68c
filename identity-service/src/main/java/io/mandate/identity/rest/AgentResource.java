package io.mandate.identity.rest;

import io.mandate.api.AdminOnly;
import io.mandate.eventing.Actor;
import io.mandate.identity.Agent;
import io.mandate.identity.config.IdentityConfig;
import io.mandate.identity.mapping.AgentView;
import io.mandate.identity.service.AgentService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Agent registration and lifecycle (SPEC §4 identity-service). */
@Path("/v1/agents")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    private final AgentService agents;
    private final String tenantId;

    AgentResource(AgentService agents, IdentityConfig config) {
        this.agents = agents;
        this.tenantId = config.defaultTenantId();
    }

    public record RegisterAgentRequest(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 320) String ownerEmail,
            @Size(max = 2000) String description,
            @NotNull @Size(min = 1) List<@NotNull String> permissions,
            Map<String, Object> metadata,
            Agent.Tier tier) {
    }

    public record Credentials(String apiKey) {
    }

    public record RegisterAgentResponse(AgentView agent, Credentials credentials) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull RegisterAgentRequest request) {
        var registration = agents.register(tenantId, new AgentService.NewAgent(request.name(), request.ownerEmail(),
                request.description(), request.permissions(), request.metadata(), request.tier()), Actor.platformAdmin());
        return Response.created(URI.create("/v1/agents/" + registration.agent().id))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(new RegisterAgentResponse(AgentView.of(registration.agent()),
                        new Credentials(registration.apiKey().value())))
                .build();
    }

    @GET
    @Path("/{id}")
    public AgentView get(@PathParam("id") String id) {
        return AgentView.of(agents.find(tenantId, id));
    }

    @POST
    @Path("/{id}/revoke")
    public AgentView revoke(@PathParam("id") String id) {
        return AgentView.of(agents.revoke(tenantId, id, Actor.platformAdmin()));
    }
}
