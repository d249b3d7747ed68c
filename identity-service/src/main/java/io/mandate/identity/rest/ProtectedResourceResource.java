package io.mandate.identity.rest;

import io.mandate.api.IdempotencyKeys;
import io.mandate.auth.CurrentCaller;
import io.mandate.identity.ProtectedResource;
import io.mandate.identity.mapping.ResourceView;
import io.mandate.identity.service.AgentAccess;
import io.mandate.identity.service.ProtectedResources;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** The tenant's protected resources (APIs, MCP servers): everyone in the tenant reads them; tenant admins change them. */
@Path("/v1/resources")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ProtectedResourceResource {

    private final ProtectedResources resources;
    private final CurrentCaller caller;

    ProtectedResourceResource(ProtectedResources resources, CurrentCaller caller) {
        this.resources = resources;
        this.caller = caller;
    }

    public record ResourceRequest(@NotBlank @Size(max = 2000) String uri, @Size(max = 100) String name,
            List<ProtectedResource.Scope> scopes, Integer accessTokenLifetime, Boolean dpopRequired,
            Boolean metadataHosted, List<String> claims) {

        ProtectedResources.Definition definition() {
            return new ProtectedResources.Definition(uri, name, scopes, accessTokenLifetime, Boolean.TRUE.equals(dpopRequired),
                    Boolean.TRUE.equals(metadataHosted), claims);
        }
    }

    @GET
    public Map<String, List<ResourceView>> list() {
        caller.get();
        return Map.of("items", resources.list(caller.tenantId()).stream().map(resources::view).toList());
    }

    @GET
    @Path("/{id}")
    public ResourceView get(@PathParam("id") String id) {
        caller.get();
        return resources.view(resources.find(caller.tenantId(), id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull ResourceRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        AgentAccess.requireTenantAdmin(caller.get());
        var registered = resources.register(caller.tenantId(), request.definition(), idempotencyKey, caller.get().actor());
        ResourceView view = resources.view(registered.value());
        return IdempotencyKeys.created(registered.replayed(), "/v1/resources/" + view.id(), view).build();
    }

    /** The whole resource but its id: what is left out takes its default. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ResourceView replace(@PathParam("id") String id, @Valid @NotNull ResourceRequest request) {
        AgentAccess.requireTenantAdmin(caller.get());
        return resources.view(resources.replace(caller.tenantId(), id, request.definition(), caller.get().actor()));
    }

    @DELETE
    @Path("/{id}")
    public Response remove(@PathParam("id") String id) {
        AgentAccess.requireTenantAdmin(caller.get());
        resources.remove(caller.tenantId(), id, caller.get().actor());
        return Response.noContent().build();
    }
}
