package io.mandate.identity.rest;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.mandate.identity.mapping.TenantView;
import io.mandate.identity.repository.TenantRepository;
import io.mandate.identity.service.Tenants;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Tenants: the platform admin creates and lists them; a tenant's members may read their own. */
@Path("/v1/tenants")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    private final Tenants tenants;
    private final TenantRepository repository;
    private final CurrentCaller caller;

    TenantResource(Tenants tenants, TenantRepository repository, CurrentCaller caller) {
        this.tenants = tenants;
        this.repository = repository;
        this.caller = caller;
    }

    public record CreateTenantRequest(
            @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}",
                    message = "1-100 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit")
            String name) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateTenantRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        Caller who = requirePlatformAdmin();
        var creation = tenants.create(request.name(), idempotencyKey, who.actor());
        TenantView view = TenantView.of(creation.tenant());
        return IdempotencyKeys.created(creation.replayed(), "/v1/tenants/" + view.id(), view).build();
    }

    @GET
    public Page<TenantView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        requirePlatformAdmin();
        int size = Page.limit(limit);
        return Page.of(repository.page(Page.decodeCursor(cursor), size + 1), size, t -> t.id, TenantView::of);
    }

    /** The platform admin reads any tenant; anyone else only its own (404 for the rest). */
    @GET
    @Path("/{id}")
    public TenantView get(@PathParam("id") String id) {
        Caller who = caller.get();
        if (!who.isPlatformAdmin() && !id.equals(who.tenantId())) {
            throw Tenants.notFound(id);
        }
        return TenantView.of(tenants.find(id));
    }

    private Caller requirePlatformAdmin() {
        Caller who = caller.get();
        if (!who.isPlatformAdmin()) {
            throw ProblemException.forbidden("forbidden", "only the platform admin manages tenants");
        }
        return who;
    }
}
