package io.mandate.identity.rest;

import io.mandate.api.IdempotencyKeys;
import io.mandate.auth.CurrentCaller;
import io.mandate.identity.PermissionEntry;
import io.mandate.identity.service.AgentAccess;
import io.mandate.identity.service.PermissionCatalogue;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The tenant's permission catalogue: everyone in the tenant reads it; tenant admins change it. */
@Path("/v1/permissions")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class PermissionResource {

    private final PermissionCatalogue catalogue;
    private final CurrentCaller caller;

    PermissionResource(PermissionCatalogue catalogue, CurrentCaller caller) {
        this.catalogue = catalogue;
        this.caller = caller;
    }

    public record PermissionRequest(@NotBlank @Size(max = 200) String permission, @Size(max = 500) String description,
            List<String> implies) {
    }

    /** The whole entry but its name: what is left out is gone (no description, implies nothing). */
    public record PermissionUpdate(@Size(max = 500) String description, List<String> implies) {
    }

    public record PermissionView(String permission, String description, List<String> implies, Instant createdAt,
            Instant updatedAt) {

        static PermissionView of(PermissionEntry entry) {
            return new PermissionView(entry.key.permission(), entry.description, entry.implies, entry.createdAt,
                    entry.updatedAt);
        }
    }

    @GET
    public Map<String, List<PermissionView>> list() {
        caller.get();
        return Map.of("items", catalogue.list(caller.tenantId()).stream().map(PermissionView::of).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@Valid @NotNull PermissionRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        AgentAccess.requireTenantAdmin(caller.get());
        var added = catalogue.add(caller.tenantId(), request.permission(), request.description(), request.implies(),
                idempotencyKey, caller.get().actor());
        PermissionView view = PermissionView.of(added.value());
        return IdempotencyKeys.created(added.replayed(), "/v1/permissions/" + view.permission(), view).build();
    }

    @PUT
    @Path("/{permission}")
    @Consumes(MediaType.APPLICATION_JSON)
    public PermissionView update(@PathParam("permission") String permission, @Valid @NotNull PermissionUpdate request) {
        AgentAccess.requireTenantAdmin(caller.get());
        return PermissionView.of(catalogue.update(caller.tenantId(), permission, request.description(),
                request.implies(), caller.get().actor()));
    }

    /** Removes an entry; agents and humans keep what they hold, but it cannot be granted again. */
    @DELETE
    @Path("/{permission}")
    public Response remove(@PathParam("permission") String permission) {
        AgentAccess.requireTenantAdmin(caller.get());
        catalogue.remove(caller.tenantId(), permission, caller.get().actor());
        return Response.noContent().build();
    }
}
