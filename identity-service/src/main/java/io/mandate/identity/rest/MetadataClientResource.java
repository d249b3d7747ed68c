package io.mandate.identity.rest;

import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.mandate.identity.mapping.AgentView;
import io.mandate.identity.service.Agents;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The clients that identify themselves by a Client ID Metadata Document: token-service registers one the
 * first time someone signs in with it (and keeps it as the document says); a tenant admin may do so
 * beforehand. What the client may do is only ever what a person consents to.
 */
@Path("/v1/metadata-clients")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MetadataClientResource {

    private final Agents agents;
    private final CurrentCaller caller;

    MetadataClientResource(Agents agents, CurrentCaller caller) {
        this.agents = agents;
        this.caller = caller;
    }

    public record MetadataClientRequest(
            @NotBlank @Size(max = 2000) @Pattern(regexp = "https://.+", message = "must be an https URL") String clientId,
            @Size(max = 200) String clientName, List<String> redirectUris, @Size(max = 2000) String logoUri) {
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull MetadataClientRequest request) {
        Caller who = caller.get();
        if (!who.isTenantAdmin() && !who.has(Caller.CLIENT_REGISTRAR)) {
            throw ProblemException.forbidden("forbidden", "only a tenant admin or token-service registers these clients");
        }
        var registration = agents.registerMetadataClient(caller.tenantId(), new Agents.MetadataClient(request.clientId(),
                request.clientName(), request.redirectUris(), request.logoUri()), who.actor());
        return Response.status(registration.replayed() ? 200 : 201).entity(AgentView.of(registration.agent())).build();
    }
}
