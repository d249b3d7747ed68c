package io.mandate.delegation.rest;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Page;
import io.mandate.api.Params;
import io.mandate.api.ProblemException;
import io.mandate.auth.CurrentCaller;
import io.mandate.delegation.Grant;
import io.mandate.delegation.mapping.GrantView;
import io.mandate.delegation.service.Delegations;
import io.mandate.delegation.service.GrantQueries;
import io.quarkus.security.Authenticated;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Delegation grants: grant, sub-delegate, list, revoke with cascade, validate. */
@Path("/v1/delegations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DelegationResource {

    private final Delegations delegations;
    private final GrantQueries queries;
    private final CurrentCaller caller;

    DelegationResource(Delegations delegations, GrantQueries queries, CurrentCaller caller) {
        this.delegations = delegations;
        this.queries = queries;
        this.caller = caller;
    }

    public record IssuedResponse(GrantView delegation, String delegationToken) {
    }

    public record RevokedResponse(GrantView delegation, List<String> revoked) {
    }

    public record TokenResponse(String delegationToken, Instant expiresAt) {
    }

    public record ValidateRequest(String delegationToken) {
    }

    /** A human grants an agent part of its authority; an agent (with {@code parent_id}) lends on its grant. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response grant(Delegations.NewGrant request, @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        Delegations.Issued issued = delegations.grant(caller.get(), caller.tenantId(), required(request),
                idempotencyKey);
        IssuedResponse body = new IssuedResponse(GrantView.of(issued.grant()), issued.delegationToken());
        return IdempotencyKeys.created(issued.replayed(), "/v1/delegations/" + issued.grant().id, body).build();
    }

    @GET
    public Page<GrantView> list(@QueryParam("user_id") String userId, @QueryParam("agent_id") String agentId,
            @QueryParam("status") String status, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return queries.list(caller.get(), caller.tenantId(), userId, agentId,
                Params.oneOf(Grant.Status.class, "status", status), Page.limit(limit), cursor).map(GrantView::of);
    }

    @GET
    @Path("/{id}")
    public GrantView get(@PathParam("id") String id) {
        return GrantView.of(delegations.visible(caller.get(), caller.tenantId(), id));
    }

    /** Revokes the grant and every grant below it. */
    @POST
    @Path("/{id}/revoke")
    public RevokedResponse revoke(@PathParam("id") String id) {
        List<String> revoked = delegations.revoke(caller.get(), caller.tenantId(), id);
        return new RevokedResponse(GrantView.of(delegations.visible(caller.get(), caller.tenantId(), id)), revoked);
    }

    /** A fresh delegation token for a live grant (e.g. for the agent whose request was approved). */
    @POST
    @Path("/{id}/token")
    public TokenResponse token(@PathParam("id") String id) {
        String token = delegations.token(caller.get(), caller.tenantId(), id);
        return new TokenResponse(token, delegations.visible(caller.get(), caller.tenantId(), id).expiresAt);
    }

    /** The Proxyme flow: is this delegation token valid now, and for what. */
    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> validate(ValidateRequest request) {
        GrantQueries.Validation validation = queries.validate(caller.tenantId(),
                required(request).delegationToken());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valid", validation.valid());
        if (!validation.valid()) {
            body.put("reason", validation.reason());
            return body;
        }
        Grant grant = validation.grant();
        body.put("delegation_id", grant.id);
        body.put("user_id", grant.userId);
        body.put("agent_id", grant.agentId);
        body.put("scopes", grant.scopes);
        body.put("chain", grant.chain());
        body.put("expires_at", grant.expiresAt);
        return body;
    }

    static <T> T required(T body) {
        if (body == null) {
            throw ProblemException.badRequest("body_required", "a JSON body is required");
        }
        return body;
    }
}
