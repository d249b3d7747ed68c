package io.mandate.delegation.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.auth.Caller;
import io.mandate.auth.KnownHumans;
import io.mandate.delegation.DelegationRequest;
import io.mandate.delegation.config.DelegationConfig;
import io.mandate.delegation.event.DelegationEvents;
import io.mandate.delegation.repository.AgentStatusRepository;
import io.mandate.delegation.repository.AgentStatusRepository.KnownAgent;
import io.mandate.delegation.repository.RequestRepository;
import io.mandate.permissions.ScopeCatalogue;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * An agent asks a human for authority; the human approves (a grant under the usual rules, with the
 * human's authority) or denies; unanswered requests expire. Each step is an event.
 */
@ApplicationScoped
public class DelegationRequests {

    /**
     * What an agent asks for: scopes of {@code userId}'s authority for {@code expiresIn} seconds from approval,
     * and optionally RFC 9396 {@code authorizationDetails} (an array of objects, each with its {@code type}).
     */
    public record NewRequest(String userId, List<String> scopes, String purpose, Long expiresIn,
            JsonNode authorizationDetails) {
    }

    /** What the person approves: part of the scopes asked for and a shorter lifetime (null: as asked). */
    public record Approval(List<String> scopes, Long expiresIn) {
    }

    /** A recorded request; {@code replayed} when an earlier request with the same key recorded it. */
    public record Asked(DelegationRequest request, boolean replayed) {
    }

    /** An approved request and the grant it made. */
    public record Approved(DelegationRequest request, Delegations.Issued issued) {
    }

    private final RequestRepository requests;
    private final AgentStatusRepository agents;
    private final KnownHumans humans;
    private final Delegations delegations;
    private final DelegationEvents events;
    private final DelegationConfig config;
    private final IdempotencyKeys idempotencyKeys;

    DelegationRequests(RequestRepository requests, AgentStatusRepository agents, KnownHumans humans,
            Delegations delegations, DelegationEvents events, DelegationConfig config,
            IdempotencyKeys idempotencyKeys) {
        this.idempotencyKeys = idempotencyKeys;
        this.requests = requests;
        this.agents = agents;
        this.humans = humans;
        this.delegations = delegations;
        this.events = events;
        this.config = config;
    }

    /** Records a pending request; a repeat under the same {@code idempotencyKey} answers with the first. */
    @Transactional
    public Asked request(Caller caller, String tenantId, NewRequest body, String idempotencyKey) {
        String id = TypeIds.newId("dlr");
        return idempotencyKeys.once(tenantId, idempotencyKey, caller.id() + " " + body, id,
                earlier -> new Asked(requests.find(tenantId, earlier).orElseThrow(), true),
                () -> new Asked(newRequest(caller, tenantId, id, body), false)).value();
    }

    private DelegationRequest newRequest(Caller caller, String tenantId, String id, NewRequest body) {
        if (!caller.isAgent()) {
            throw ProblemException.forbidden("agent_required", "only an agent asks for delegated authority");
        }
        ScopeCatalogue catalogue = delegations.catalogue(tenantId);
        List<String> scopes = Scopes.checked(catalogue, body.scopes());
        long seconds = delegations.lifetime(tenantId, "expires_in", body.expiresIn()).toSeconds();
        if (body.purpose() == null || body.purpose().isBlank()) {
            throw ProblemException.invalid("purpose", "is required: the human decides on it");
        }
        String purpose = Delegations.purpose(body.purpose());
        if (body.userId() == null || humans.permissions(tenantId, body.userId()).isEmpty()) {
            throw ProblemException.notFound("user_not_found", "no such active user in this tenant");
        }
        KnownAgent agent = agents.find(caller.id()).filter(KnownAgent::isActive)
                .orElseThrow(() -> ProblemException.forbidden("agent_not_active", "the requesting agent is not active"));
        Scopes.requireCovered(catalogue, agent.permissions(), scopes, "the agent's permissions");
        DelegationRequest request = new DelegationRequest();
        request.id = id;
        request.tenantId = tenantId;
        request.agentId = caller.id();
        request.userId = body.userId();
        request.scopes = scopes;
        request.purpose = purpose;
        request.grantSeconds = seconds;
        request.authorizationDetails = AuthorizationDetails.checked(body.authorizationDetails());
        request.status = DelegationRequest.Status.pending;
        request.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        request.expiresAt = request.createdAt.plus(config.tenant(tenantId, DelegationConfig.Tenant::requestLifetime));
        requests.insert(request);
        events.requested(request);
        return request;
    }

    /**
     * The human asked approves, all of it or part of the scopes for a shorter time ({@code approval} may be
     * null): the grant is made with its authority now.
     */
    @Transactional
    public Approved approve(Caller caller, String tenantId, String id, Approval approval) {
        DelegationRequest request = pending(caller, tenantId, id, false);
        List<String> scopes = request.scopes;
        long seconds = request.grantSeconds;
        if (approval != null && approval.scopes() != null) {
            ScopeCatalogue catalogue = delegations.catalogue(tenantId);
            scopes = Scopes.checked(catalogue, approval.scopes());
            Scopes.requireCovered(catalogue, request.scopes, scopes, "what the agent asked for");
        }
        if (approval != null && approval.expiresIn() != null) {
            if (approval.expiresIn() < 1 || approval.expiresIn() > request.grantSeconds) {
                throw ProblemException.invalid("expires_in", "must be between 1 and the " + request.grantSeconds
                        + " seconds asked for");
            }
            seconds = approval.expiresIn();
        }
        Delegations.Issued issued = delegations.grant(caller, tenantId, new Delegations.NewGrant(request.agentId,
                scopes, seconds, null, request.purpose, null), null);
        request.delegationId = issued.grant().id;
        decide(request, caller, DelegationRequest.Status.approved);
        events.approved(request, issued.grant(), caller.actor());
        return new Approved(request, issued);
    }

    /** The human asked, or a tenant admin, denies. */
    @Transactional
    public DelegationRequest deny(Caller caller, String tenantId, String id) {
        DelegationRequest request = pending(caller, tenantId, id, true);
        decide(request, caller, DelegationRequest.Status.denied);
        events.denied(request, caller.actor());
        return request;
    }

    /** The request, if the caller may see it: the agent that asked, the human asked, admins and auditors. */
    @Transactional
    public DelegationRequest visible(Caller caller, String tenantId, String id) {
        DelegationRequest request = requests.find(tenantId, id).orElse(null);
        if (request == null || !(Delegations.seesAll(caller) || caller.id().equals(request.agentId)
                || caller.id().equals(request.userId))) {
            throw ProblemException.notFound("request_not_found", "no such delegation request");
        }
        return request;
    }

    /** One page: a human sees the requests addressed to it, an agent its own, admins and auditors all. */
    @Transactional
    public Page<DelegationRequest> list(Caller caller, String tenantId, DelegationRequest.Status status, int limit,
            String cursor) {
        String userId = null;
        String agentId = null;
        if (!Delegations.seesAll(caller)) {
            if (caller.isAgent()) {
                agentId = caller.id();
            } else {
                userId = caller.id();
            }
        }
        List<DelegationRequest> rows = requests.list(tenantId, userId, agentId, status, Page.After.of(cursor),
                limit + 1);
        return Page.of(rows, limit, r -> Page.After.position(r.createdAt, r.id), r -> r);
    }

    private DelegationRequest pending(Caller caller, String tenantId, String id, boolean adminMay) {
        DelegationRequest request = requests.findForUpdate(tenantId, id).orElse(null);
        if (request == null || !(caller.id().equals(request.userId) || Delegations.seesAll(caller))) {
            throw ProblemException.notFound("request_not_found", "no such delegation request");
        }
        if (!caller.id().equals(request.userId) && !(adminMay && caller.isTenantAdmin())) {
            throw ProblemException.forbidden("delegation_forbidden", adminMay
                    ? "only the human asked or a tenant admin decides this request"
                    : "only the human asked lends its authority");
        }
        if (request.status != DelegationRequest.Status.pending || !request.expiresAt.isAfter(Instant.now())) {
            throw ProblemException.conflict("request_not_pending", "the request is "
                    + (request.status == DelegationRequest.Status.pending ? "expired" : request.status.name()));
        }
        return request;
    }

    private void decide(DelegationRequest request, Caller caller, DelegationRequest.Status status) {
        request.status = status;
        request.decidedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        request.decidedBy = caller.id();
        requests.saveDecision(request);
    }
}
