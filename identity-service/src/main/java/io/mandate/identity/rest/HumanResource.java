package io.mandate.identity.rest;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.mandate.identity.Human;
import io.mandate.identity.mapping.HumanView;
import io.mandate.identity.service.AgentAccess;
import io.mandate.identity.service.Humans;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Human accounts of the caller's tenant. Tenant admins manage them; auditors read them; every human
 * reads itself ({@code /v1/users/me}).
 */
@Path("/v1/users")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class HumanResource {

    static final String USERNAME = "[A-Za-z0-9][A-Za-z0-9._@-]{2,63}";

    private final Humans humans;
    private final CurrentCaller caller;

    HumanResource(Humans humans, CurrentCaller caller) {
        this.humans = humans;
        this.caller = caller;
    }

    public record CreateHumanRequest(
            @NotNull @Pattern(regexp = USERNAME, message = "3-64 letters, digits, '.', '_', '@' or '-'") String username,
            @NotBlank @Email @Size(max = 320) String email,
            @Size(max = 256) String password,
            @NotNull @Size(max = 3) List<@NotNull String> roles,
            List<@NotNull String> permissions) {
    }

    public record UpdateHumanRequest(
            @Email @Size(max = 320) String email,
            @Size(max = 256) String password,
            @Size(max = 3) List<@NotNull String> roles,
            List<@NotNull String> permissions) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateHumanRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        Caller who = caller.get();
        AgentAccess.requireTenantAdmin(who);
        var creation = humans.create(caller.tenantId(), new Humans.NewHuman(request.username(), request.email(),
                request.password(), request.roles(), request.permissions() == null ? List.of() : request.permissions()),
                idempotencyKey, who.actor());
        HumanView view = HumanView.of(creation.human());
        return IdempotencyKeys.created(creation.replayed(), "/v1/users/" + view.id(), view).build();
    }

    @GET
    public Page<HumanView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        requireReader();
        int size = Page.limit(limit);
        return Page.of(humans.page(caller.tenantId(), Page.decodeCursor(cursor), size + 1), size, h -> h.id,
                HumanView::of);
    }

    @GET
    @Path("/me")
    public HumanView me() {
        Caller who = caller.get();
        if (who.kind() != Caller.Kind.HUMAN) {
            throw ProblemException.notFound("human_not_found", "the caller is not a human account");
        }
        return HumanView.of(humans.find(who.tenantId(), who.id()));
    }

    @GET
    @Path("/{id}")
    public HumanView get(@PathParam("id") String id) {
        Caller who = caller.get();
        if (!(who.kind() == Caller.Kind.HUMAN && who.id().equals(id))) {
            requireReader();
        }
        return HumanView.of(humans.find(caller.tenantId(), id));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HumanView update(@PathParam("id") String id, @Valid @NotNull UpdateHumanRequest request) {
        Caller who = caller.get();
        AgentAccess.requireTenantAdmin(who);
        return HumanView.of(humans.update(caller.tenantId(), id, new Humans.Changes(request.email(),
                request.password(), request.roles(), request.permissions()), who.actor()));
    }

    @POST
    @Path("/{id}/disable")
    public HumanView disable(@PathParam("id") String id) {
        Caller who = caller.get();
        AgentAccess.requireTenantAdmin(who);
        return HumanView.of(humans.disable(caller.tenantId(), id, who.actor()));
    }

    private void requireReader() {
        Caller who = caller.get();
        if (!who.isTenantAdmin() && !who.has(Caller.AUDITOR)) {
            throw ProblemException.forbidden("forbidden", "only tenant admins and auditors read accounts");
        }
    }
}
