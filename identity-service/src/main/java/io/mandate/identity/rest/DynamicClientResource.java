package io.mandate.identity.rest;

import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.mandate.identity.mapping.AgentView;
import io.mandate.identity.service.Agents;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Clients that register themselves (RFC 7591) at token-service, which registers them here under the
 * tenant's policy. What such a client may do is only ever what a person consents to.
 */
@Path("/v1/dynamic-clients")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DynamicClientResource {

    private final Agents agents;
    private final CurrentCaller caller;

    DynamicClientResource(Agents agents, CurrentCaller caller) {
        this.agents = agents;
        this.caller = caller;
    }

    public record DynamicClientRequest(@Size(max = 200) String clientName, List<String> redirectUris,
            @Size(max = 2000) String logoUri, String tokenEndpointAuthMethod) {
    }

    /** The agent registered, and its client secret (an API key, shown once) unless it is a public client. */
    public record Registered(AgentView agent, String clientSecret) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull DynamicClientRequest request) {
        Caller who = caller.get();
        if (!who.isTenantAdmin() && !who.has(Caller.CLIENT_REGISTRAR)) {
            throw ProblemException.forbidden("forbidden", "only a tenant admin or token-service registers these clients");
        }
        var registration = agents.registerDynamicClient(caller.tenantId(), new Agents.DynamicClient(request.clientName(),
                request.redirectUris(), request.logoUri(), request.tokenEndpointAuthMethod()), who.actor());
        return Response.status(201).entity(new Registered(AgentView.of(registration.agent()),
                registration.apiKey() == null ? null : registration.apiKey().value())).build();
    }
}
