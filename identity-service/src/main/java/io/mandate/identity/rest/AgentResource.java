package io.mandate.identity.rest;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Page;
import io.mandate.api.Params;
import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.mandate.identity.Agent;
import io.mandate.identity.OAuthClient;
import io.mandate.identity.KeyChallenge;
import io.mandate.identity.mapping.AgentView;
import io.mandate.identity.service.AgentAccess;
import io.mandate.identity.service.Agents;
import io.mandate.identity.service.TrustLevels;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Agent registration and lifecycle. */
@Path("/v1/agents")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    private final Agents agents;
    private final AgentAccess access;
    private final CurrentCaller caller;
    private final TrustLevels trust;

    AgentResource(Agents agents, AgentAccess access, CurrentCaller caller, TrustLevels trust) {
        this.agents = agents;
        this.access = access;
        this.caller = caller;
        this.trust = trust;
    }

    public record RegisterAgentRequest(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 320) String ownerEmail,
            @Size(max = 2000) String description,
            @NotNull @Size(min = 1) List<@NotNull String> permissions,
            Map<String, Object> metadata,
            Agent.Tier tier,
            OAuthClient client) {
    }

    public record Credentials(String apiKey) {
    }

    public record RegisterAgentResponse(AgentView agent, Credentials credentials) {
    }

    public record UpdateAgentRequest(
            @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @Size(max = 200) String name,
            @Size(max = 2000) String description,
            Map<String, Object> metadata,
            OAuthClient client) {
    }

    public record PermissionsRequest(@NotNull List<@NotNull String> permissions) {
    }

    public record TierRequest(@NotNull Agent.Tier tier) {
    }

    public record ChallengeView(String id, String challenge, Instant expiresAt) {
    }

    public record ProofRequest(@NotBlank @Size(max = 64) String credentialId, @NotBlank @Size(max = 8192) String signature) {
    }

    /**
     * Registers an agent. With {@code Idempotency-Key}, a repeated request returns the agent it
     * created (200, {@code Idempotent-Replayed: true}) and no key: the key is shown only once. A public client
     * ({@code client.token_endpoint_auth_method: none}) gets no key at all.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull RegisterAgentRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        Caller who = caller.get();
        access.requireRegister(who, request.ownerEmail(), request.permissions());
        if (request.tier() != null && !who.isTenantAdmin()) {
            throw ProblemException.forbidden("forbidden", "only a tenant admin sets the tier");
        }
        var registration = agents.register(caller.tenantId(), new Agents.NewAgent(request.name(),
                request.ownerEmail(), request.description(), request.permissions(), request.metadata(), request.tier(),
                request.client()),
                idempotencyKey, who.actor());
        AgentView agent = AgentView.of(registration.agent());
        Credentials key = registration.apiKey() == null ? null : new Credentials(registration.apiKey().value());
        return IdempotencyKeys.created(registration.replayed(), "/v1/agents/" + agent.id(),
                new RegisterAgentResponse(agent, key)).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @GET
    public Page<AgentView> list(@QueryParam("status") String status, @QueryParam("tier") String tier,
            @QueryParam("owner") String owner, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Caller who = caller.get();
        int size = Page.limit(limit);
        if (!who.isTenantAdmin() && !who.has(Caller.AUDITOR)) {
            if (!who.has(Caller.OWNER)) {
                throw ProblemException.forbidden("forbidden", "the caller may not list agents");
            }
            // An owner lists its own agents; naming another owner finds nothing.
            if (owner != null && !owner.strip().equalsIgnoreCase(who.email())) {
                return new Page<>(List.of(), null);
            }
            owner = who.email();
        }
        var filter = new Agents.Filter(Params.oneOf(Agent.Status.class, "status", status),
                Params.oneOf(Agent.Tier.class, "tier", tier), owner);
        List<Agent> rows = agents.list(caller.tenantId(), filter, Page.After.of(cursor), size + 1);
        return Page.of(rows, size, a -> Page.After.position(a.createdAt, a.id), AgentView::of);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AgentView update(@PathParam("id") String id, @Valid @NotNull UpdateAgentRequest request) {
        AgentAccess.requireManage(caller.get(), visible(id));
        return AgentView.of(agents.update(caller.tenantId(), id,
                new Agents.Changes(request.name(), request.description(), request.metadata(), request.client()),
                caller.get().actor()));
    }

    @PUT
    @Path("/{id}/permissions")
    @Consumes(MediaType.APPLICATION_JSON)
    public AgentView setPermissions(@PathParam("id") String id, @Valid @NotNull PermissionsRequest request) {
        AgentAccess.requireManage(caller.get(), visible(id));
        access.requireHeld(caller.get(), request.permissions());
        return AgentView.of(agents.setPermissions(caller.tenantId(), id, request.permissions(), caller.get().actor()));
    }

    @PUT
    @Path("/{id}/tier")
    @Consumes(MediaType.APPLICATION_JSON)
    public AgentView setTier(@PathParam("id") String id, @Valid @NotNull TierRequest request) {
        visible(id);
        AgentAccess.requireTenantAdmin(caller.get());
        return AgentView.of(agents.setTier(caller.tenantId(), id, request.tier(), caller.get().actor()));
    }

    @POST
    @Path("/{id}/suspend")
    public AgentView suspend(@PathParam("id") String id) {
        AgentAccess.requireManage(caller.get(), visible(id));
        return AgentView.of(agents.suspend(caller.tenantId(), id, caller.get().actor()));
    }

    @POST
    @Path("/{id}/reactivate")
    public AgentView reactivate(@PathParam("id") String id) {
        AgentAccess.requireManage(caller.get(), visible(id));
        return AgentView.of(agents.reactivate(caller.tenantId(), id, caller.get().actor()));
    }

    /** The owner (or a tenant admin) vouches for the agent: trust level 2. */
    @POST
    @Path("/{id}/verify")
    public AgentView verify(@PathParam("id") String id) {
        AgentAccess.requireManage(caller.get(), visible(id));
        return AgentView.of(trust.ownerVerified(caller.tenantId(), id, caller.get().actor()));
    }

    /** A one-time value (valid 5 minutes) for the agent to sign with a registered JWK's private key. */
    @POST
    @Path("/{id}/key-challenges")
    public Response challenge(@PathParam("id") String id, @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        AgentAccess.requireSelfOrManage(caller.get(), visible(id));
        var made = trust.challenge(caller.tenantId(), id, idempotencyKey);
        KeyChallenge challenge = made.value();
        return IdempotencyKeys.created(made.replayed(), "/v1/agents/" + id + "/key-challenges/" + challenge.id,
                new ChallengeView(challenge.id, challenge.nonce, challenge.expiresAt)).build();
    }

    /** A compact JWS over the challenge value: proven possession of a private key, trust level 3. */
    @POST
    @Path("/{id}/key-challenges/{challengeId}/response")
    @Consumes(MediaType.APPLICATION_JSON)
    public AgentView prove(@PathParam("id") String id, @PathParam("challengeId") String challengeId,
            @Valid @NotNull ProofRequest request) {
        AgentAccess.requireSelfOrManage(caller.get(), visible(id));
        return AgentView.of(trust.prove(caller.tenantId(), id, challengeId, request.credentialId(), request.signature(),
                caller.get().actor()));
    }

    /** The calling agent itself (AgentAuth's and SWARM's "who am I"): its permissions, status and trust level. */
    @GET
    @Path("/me")
    public AgentView me() {
        Caller who = caller.get();
        if (!who.isAgent()) {
            throw ProblemException.forbidden("agent_required", "only an agent has a /me here: call it with an agent's token");
        }
        return AgentView.of(visible(who.id()));
    }

    @GET
    @Path("/{id}")
    public AgentView get(@PathParam("id") String id) {
        return AgentView.of(visible(id));
    }

    /** The agent, if the caller may see it; 404 otherwise, whether or not it exists. */
    private Agent visible(String id) {
        Agent agent = agents.find(caller.tenantId(), id);
        AgentAccess.requireSee(caller.get(), agent);
        return agent;
    }

    @POST
    @Path("/{id}/revoke")
    public AgentView revoke(@PathParam("id") String id) {
        AgentAccess.requireManage(caller.get(), visible(id));
        return AgentView.of(agents.revoke(caller.tenantId(), id, caller.get().actor()));
    }
}
