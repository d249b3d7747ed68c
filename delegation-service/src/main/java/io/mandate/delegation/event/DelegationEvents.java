package io.mandate.delegation.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.mandate.delegation.DelegationRequest;
import io.mandate.delegation.Grant;
import io.mandate.delegation.repository.GrantRepository.Ended;
import io.mandate.eventing.envelope.Actor;
import io.mandate.eventing.envelope.Events;
import io.mandate.eventing.envelope.Topics;
import io.mandate.eventing.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/** What delegation-service publishes on {@code mandate.delegation}, through the outbox. Keyed by the agent. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DelegationEvents {

    public static final String REQUESTED = "delegation.requested";
    public static final String APPROVED = "delegation.approved";
    public static final String DENIED = "delegation.denied";
    public static final String GRANTED = "delegation.granted";
    public static final String REVOKED = "delegation.revoked";
    public static final String EXPIRED = "delegation.expired";

    private final Outbox outbox;
    private final Events events;

    DelegationEvents(Outbox outbox, Events events) {
        this.outbox = outbox;
        this.events = events;
    }

    public void granted(Grant grant, Actor actor) {
        publish(GRANTED, grant.id, grant.tenantId, grant.agentId, actor, new Granted(grant.tenantId, grant.id,
                grant.userId, grant.agentId, grant.delegatorType, grant.delegatorId, grant.parentId, grant.chainIds,
                grant.chainAgents, grant.scopes, grant.depth, grant.maxDepth, grant.purpose, grant.expiresAt));
    }

    /**
     * One event for everything one cause revoked: {@code subject} is what was revoked (a grant, an
     * agent, a human); {@code delegation_ids} lists every grant, the cascade included.
     */
    public void revoked(String tenantId, String subject, String agentId, List<Ended> grants, String reason,
            Actor actor) {
        publish(REVOKED, subject, tenantId, agentId, actor,
                new Revoked(tenantId, grants.get(0).id(), grants.stream().map(Ended::id).toList(),
                        grants.stream().map(Ended::agentId).distinct().toList(), reason));
    }

    public void expired(Ended grant) {
        publish(EXPIRED, grant.id(), grant.tenantId(), grant.agentId(), Actor.SYSTEM,
                new GrantExpired(grant.tenantId(), grant.id(), grant.userId(), grant.agentId()));
    }

    public void requested(DelegationRequest request) {
        publish(REQUESTED, request.id, request.tenantId, request.agentId, Actor.agent(request.agentId),
                RequestChanged.of(request));
    }

    /** Carries what was granted (scopes, expiry), which may be less than what was asked for. */
    public void approved(DelegationRequest request, Grant grant, Actor actor) {
        publish(APPROVED, request.id, request.tenantId, request.agentId, actor,
                RequestChanged.of(request).granted(grant.scopes, grant.expiresAt));
    }

    public void denied(DelegationRequest request, Actor actor) {
        publish(DENIED, request.id, request.tenantId, request.agentId, actor, RequestChanged.of(request));
    }

    /** A pending request nobody decided in time. */
    public void requestExpired(String tenantId, String requestId, String agentId, String userId) {
        publish(EXPIRED, requestId, tenantId, agentId, Actor.SYSTEM,
                new RequestExpired(tenantId, requestId, agentId, userId));
    }

    private void publish(String type, String subject, String tenantId, String agentId, Actor actor, Object payload) {
        outbox.add(Topics.DELEGATION, events.create(type, subject, tenantId, agentId, actor, payload));
    }

    record Granted(String tenantId, String delegationId, String userId, String agentId, String delegatorType,
            String delegatorId, String parentId, List<String> chain, List<String> chainAgents, List<String> scopes,
            int depth, int maxDepth, String purpose, Instant expiresAt) {
    }

    /** {@code delegation_id} is the first grant revoked (so audit filters find the event by it). */
    record Revoked(String tenantId, String delegationId, List<String> delegationIds, List<String> agentIds, String reason) {
    }

    record GrantExpired(String tenantId, String delegationId, String userId, String agentId) {
    }

    record RequestExpired(String tenantId, String requestId, String agentId, String userId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RequestChanged(String tenantId, String requestId, String agentId, String userId, List<String> scopes,
            String purpose, String status, String delegationId, @JsonRawValue String authorizationDetails,
            List<String> grantedScopes, Instant grantExpiresAt) {

        static RequestChanged of(DelegationRequest request) {
            return new RequestChanged(request.tenantId, request.id, request.agentId, request.userId, request.scopes,
                    request.purpose, request.status.name(), request.delegationId, request.authorizationDetails, null,
                    null);
        }

        RequestChanged granted(List<String> scopes, Instant expiresAt) {
            return new RequestChanged(tenantId, requestId, agentId, userId, this.scopes, purpose, status, delegationId,
                    authorizationDetails, scopes, expiresAt);
        }
    }
}
