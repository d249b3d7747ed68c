package io.mandate.delegation.rest;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Page;
import io.mandate.api.Params;
import io.mandate.auth.CurrentCaller;
import io.mandate.delegation.DelegationRequest;
import io.mandate.delegation.mapping.GrantView;
import io.mandate.delegation.mapping.RequestView;
import io.mandate.delegation.service.DelegationRequests;
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

/** Agents ask humans for authority; the human asked approves or denies; unanswered requests expire. */
@Path("/v1/delegations/requests")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DelegationRequestResource {

    private final DelegationRequests requests;
    private final CurrentCaller caller;

    DelegationRequestResource(DelegationRequests requests, CurrentCaller caller) {
        this.requests = requests;
        this.caller = caller;
    }

    public record ApprovedResponse(RequestView request, GrantView delegation, String delegationToken) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response ask(DelegationRequests.NewRequest body, @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        DelegationRequests.Asked asked = requests.request(caller.get(), caller.tenantId(),
                DelegationResource.required(body), idempotencyKey);
        return IdempotencyKeys.created(asked.replayed(), "/v1/delegations/requests/" + asked.request().id,
                RequestView.of(asked.request())).build();
    }

    @GET
    public Page<RequestView> list(@QueryParam("status") String status, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return requests.list(caller.get(), caller.tenantId(),
                Params.oneOf(DelegationRequest.Status.class, "status", status), Page.limit(limit), cursor)
                .map(RequestView::of);
    }

    @GET
    @Path("/{id}")
    public RequestView get(@PathParam("id") String id) {
        return RequestView.of(requests.visible(caller.get(), caller.tenantId(), id));
    }

    /** The body is optional: {@code {scopes?, expires_in?}} approves part of the scopes, for a shorter time. */
    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.WILDCARD)
    public ApprovedResponse approve(@PathParam("id") String id, DelegationRequests.Approval approval) {
        DelegationRequests.Approved approved = requests.approve(caller.get(), caller.tenantId(), id, approval);
        return new ApprovedResponse(RequestView.of(approved.request()), GrantView.of(approved.issued().grant()),
                approved.issued().delegationToken());
    }

    @POST
    @Path("/{id}/deny")
    public RequestView deny(@PathParam("id") String id) {
        return RequestView.of(requests.deny(caller.get(), caller.tenantId(), id));
    }
}
