package io.mandate.identity.rest;

import io.mandate.auth.CurrentCaller;
import io.mandate.identity.Invitation;
import io.mandate.identity.service.AgentAccess;
import io.mandate.identity.service.Invitations;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Invitation links a tenant admin sends so that a person signs up on token-service's page. */
@Path("/v1/invitations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class InvitationResource {

    private final Invitations invitations;
    private final CurrentCaller caller;

    InvitationResource(Invitations invitations, CurrentCaller caller) {
        this.invitations = invitations;
        this.caller = caller;
    }

    public record InvitationRequest(@Email @Size(max = 320) String email, @Size(max = 3) List<@NotNull String> roles,
            List<@NotNull String> permissions, Long expiresIn) {
    }

    /** The invitation and its link, shown once: only its SHA-256 is kept. */
    public record Made(Invitation invitation, String url) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response invite(@Valid @NotNull InvitationRequest request) {
        AgentAccess.requireTenantAdmin(caller.get());
        var made = invitations.invite(caller.tenantId(), request.email(), request.roles(), request.permissions(),
                request.expiresIn(), caller.get().actor());
        return Response.status(201).entity(new Made(made.invitation(), made.url())).build();
    }

    @GET
    public Map<String, List<Invitation>> list() {
        AgentAccess.requireTenantAdmin(caller.get());
        return Map.of("items", invitations.list(caller.tenantId()));
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id) {
        AgentAccess.requireTenantAdmin(caller.get());
        invitations.revoke(caller.tenantId(), id, caller.get().actor());
        return Response.noContent().build();
    }
}
