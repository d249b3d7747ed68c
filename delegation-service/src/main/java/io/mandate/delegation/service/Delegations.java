package io.mandate.delegation.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.auth.Caller;
import io.mandate.auth.KnownHumans;
import io.mandate.delegation.Grant;
import io.mandate.delegation.config.DelegationConfig;
import io.mandate.delegation.event.DelegationEvents;
import io.mandate.delegation.repository.AgentStatusRepository;
import io.mandate.delegation.repository.AgentStatusRepository.KnownAgent;
import io.mandate.delegation.repository.ScopeCatalogueRepository;
import io.mandate.delegation.repository.GrantRepository;
import io.mandate.delegation.repository.GrantRepository.Ended;
import io.mandate.eventing.envelope.Actor;
import io.mandate.permissions.ScopeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Grants and their revocation. A grant's scopes are covered by its delegate's permissions and by its
 * grantor's authority: the human's permissions for a root grant, the parent grant for a child. A
 * child never outlives its parent nor goes deeper than the root's {@code max_depth}. Revoking a grant
 * revokes its descendants in the same transaction, announced by one event.
 */
@ApplicationScoped
public class Delegations {

    private static final int MAX_PURPOSE = 500;

    /** What the caller asked for; {@code parentId} set when an agent lends part of its own grant. */
    public record NewGrant(String agentId, List<String> scopes, Long expiresIn, Integer maxDepth, String purpose,
            String parentId) {
    }

    /** A grant and a delegation token for it; {@code replayed} when an earlier request with the same key made it. */
    public record Issued(Grant grant, String delegationToken, boolean replayed) {
    }

    private final GrantRepository grants;
    private final AgentStatusRepository agents;
    private final KnownHumans humans;
    private final DelegationTokens tokens;
    private final DelegationEvents events;
    private final DelegationConfig config;
    private final IdempotencyKeys idempotencyKeys;
    private final ScopeCatalogueRepository catalogues;

    Delegations(GrantRepository grants, AgentStatusRepository agents, KnownHumans humans, DelegationTokens tokens,
            DelegationEvents events, DelegationConfig config, IdempotencyKeys idempotencyKeys,
            ScopeCatalogueRepository catalogues) {
        this.idempotencyKeys = idempotencyKeys;
        this.catalogues = catalogues;
        this.grants = grants;
        this.agents = agents;
        this.humans = humans;
        this.tokens = tokens;
        this.events = events;
        this.config = config;
    }

    /**
     * Makes a grant; with an {@code idempotencyKey} (may be null) a repeated request answers with the
     * grant the first one made (and a fresh token for it), a different request under the key is 422.
     */
    @Transactional
    public Issued grant(Caller caller, String tenantId, NewGrant request, String idempotencyKey) {
        String id = TypeIds.newId("dlg");
        return idempotencyKeys.once(tenantId, idempotencyKey, caller.id() + " " + request, id, earlier -> {
            Grant grant = grants.find(tenantId, earlier).orElseThrow();
            return new Issued(grant, grant.isLive(Instant.now()) ? tokens.mint(grant) : null, true);
        }, () -> issue(caller, tenantId, id, request)).value();
    }

    private Issued issue(Caller caller, String tenantId, String id, NewGrant request) {
        List<String> scopes = Scopes.checked(catalogue(tenantId), request.scopes());
        Duration lifetime = lifetime(tenantId, "expires_in", request.expiresIn());
        String purpose = purpose(request.purpose());
        if (request.agentId() == null || request.agentId().isBlank()) {
            throw ProblemException.invalid("agent_id", "is required");
        }
        Grant grant;
        if (caller.isAgent()) {
            grant = subDelegation(caller, tenantId, id, request, scopes, lifetime);
        } else {
            if (request.parentId() != null) {
                throw ProblemException.invalid("parent_id", "only an agent lends on a grant it holds");
            }
            grant = rootGrant(caller, tenantId, id, request, scopes, lifetime);
        }
        grant.purpose = purpose;
        grants.insert(grant);
        events.granted(grant, caller.actor());
        return new Issued(grant, tokens.mint(grant), false);
    }

    /** A human lends part of its authority. */
    Grant rootGrant(Caller caller, String tenantId, String id, NewGrant request, List<String> scopes,
            Duration lifetime) {
        if (caller.kind() != Caller.Kind.HUMAN || !(caller.has(Caller.OWNER) || caller.has(Caller.TENANT_ADMIN))) {
            throw ProblemException.forbidden("delegation_forbidden",
                    "only a human owner or tenant admin grants authority to an agent");
        }
        Set<String> authority = humans.permissions(tenantId, caller.id()).orElseThrow(() -> ProblemException.forbidden(
                "authority_unknown", "this account's permissions are not known to delegation-service yet"));
        int maxDepth = maxDepth(tenantId, request.maxDepth(), 1,
                config.tenant(tenantId, DelegationConfig.Tenant::maxDepthLimit));
        KnownAgent agent = activeAgent(tenantId, request.agentId());
        ScopeCatalogue catalogue = catalogue(tenantId);
        Scopes.requireCovered(catalogue, agent.permissions(), scopes, "the agent's permissions");
        Scopes.requireCovered(catalogue, authority, scopes, "your authority");
        Grant grant = newGrant(id, tenantId, agent.id(), scopes, lifetime);
        grant.userId = caller.id();
        grant.delegatorType = "human";
        grant.delegatorId = caller.id();
        grant.depth = 1;
        grant.maxDepth = maxDepth;
        grant.chainIds = List.of(grant.id);
        grant.chainAgents = List.of(agent.id());
        return grant;
    }

    /** An agent lends part of a grant it holds to another agent of its tenant. */
    Grant subDelegation(Caller caller, String tenantId, String id, NewGrant request, List<String> scopes,
            Duration lifetime) {
        if (request.parentId() == null || request.parentId().isBlank()) {
            throw ProblemException.invalid("parent_id", "an agent lends only on a grant it holds: name it");
        }
        Grant parent = grants.findForUpdate(tenantId, request.parentId())
                .orElseThrow(() -> ProblemException.notFound("delegation_not_found", "no such delegation"));
        if (!parent.agentId.equals(caller.id())) {
            throw ProblemException.forbidden("not_delegate", "only the delegate of a grant lends on it");
        }
        Instant now = Instant.now();
        if (!parent.isLive(now)) {
            throw ProblemException.conflict("delegation_not_active", "the parent grant is " + state(parent));
        }
        if (parent.depth >= parent.maxDepth) {
            throw ProblemException.forbidden("depth_exceeded",
                    "the chain already has " + parent.depth + " of at most " + parent.maxDepth + " hops");
        }
        int maxDepth = request.maxDepth() == null ? parent.maxDepth
                : maxDepth(tenantId, request.maxDepth(), parent.depth + 1, parent.maxDepth);
        if (parent.chainAgents.contains(request.agentId()) || caller.id().equals(request.agentId())) {
            throw ProblemException.invalid("agent_id", "the agent already holds a grant in this chain");
        }
        if (!agents.find(caller.id()).map(KnownAgent::isActive).orElse(false)) {
            throw ProblemException.forbidden("agent_not_active", "the lending agent is not active");
        }
        KnownAgent agent = activeAgent(tenantId, request.agentId());
        ScopeCatalogue catalogue = catalogue(tenantId);
        Scopes.requireCovered(catalogue, parent.scopes, scopes, "the parent grant");
        Scopes.requireCovered(catalogue, agent.permissions(), scopes, "the agent's permissions");
        Grant grant = newGrant(id, tenantId, agent.id(), scopes, lifetime);
        if (grant.expiresAt.isAfter(parent.expiresAt)) {
            throw ProblemException.forbidden("expiry_exceeds_parent",
                    "a grant cannot outlive its parent, which expires at " + parent.expiresAt);
        }
        grant.userId = parent.userId;
        grant.delegatorType = "agent";
        grant.delegatorId = caller.id();
        grant.parentId = parent.id;
        grant.depth = parent.depth + 1;
        grant.maxDepth = maxDepth;
        grant.chainIds = Grant.appended(parent.chainIds, grant.id);
        grant.chainAgents = Grant.appended(parent.chainAgents, agent.id());
        return grant;
    }

    /**
     * Revokes a grant and every grant below it. The root grant's human, the grant's delegator, or a
     * tenant admin may; returns the revoked ids, this grant's first.
     */
    @Transactional
    public List<String> revoke(Caller caller, String tenantId, String id) {
        Grant grant = grants.findForUpdate(tenantId, id).filter(g -> sees(caller, g))
                .orElseThrow(() -> ProblemException.notFound("delegation_not_found", "no such delegation"));
        if (!caller.isTenantAdmin() && !caller.id().equals(grant.userId) && !caller.id().equals(grant.delegatorId)) {
            throw ProblemException.forbidden("delegation_forbidden",
                    "only the granting human, the delegator or a tenant admin revokes a grant");
        }
        if (grant.status != Grant.Status.active) {
            throw ProblemException.conflict("delegation_not_active", "the grant is already " + grant.status);
        }
        String reason = "revoked by " + caller.actorType();
        List<Ended> revoked = grants.revokeTrees(List.of(id), caller.id(), reason);
        events.revoked(tenantId, id, grant.agentId, revoked, reason, caller.actor());
        return revoked.stream().map(Ended::id).toList();
    }

    /**
     * Revokes every grant {@code principal} (an agent, or a human) takes part in, with everything below,
     * because of {@code reason} ({@code agent.revoked}, ...). Runs in the consumer's inbox transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeInvolving(String tenantId, String principal, String reason) {
        List<String> roots = grants.findActiveInvolving(principal);
        if (roots.isEmpty()) {
            return;
        }
        List<Ended> revoked = grants.revokeTrees(roots, "system", reason);
        if (!revoked.isEmpty()) {
            String agentId = principal.startsWith("agt_") ? principal : revoked.get(0).agentId();
            events.revoked(tenantId, principal, agentId, revoked, reason, Actor.SYSTEM);
        }
    }

    /**
     * Revokes the grants an agent or human no longer covers now that its authority changed: those the agent
     * receives, or the human lends, with scopes beyond {@code permissions}; every root grant of a human who
     * may no longer lend ({@code mayLend} false: neither owner nor tenant admin). Runs in the consumer's inbox transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeUncovered(String tenantId, String principal, Collection<String> permissions, boolean mayLend,
            String reason) {
        boolean agent = principal.startsWith("agt_");
        ScopeCatalogue catalogue = catalogue(tenantId);
        List<String> uncovered = grants.findActiveHeldOrLent(agent ? principal : null, agent ? null : principal).stream()
                .filter(grant -> !mayLend || !catalogue.uncovered(permissions, grant.scopes).isEmpty())
                .map(grant -> grant.id).toList();
        if (uncovered.isEmpty()) {
            return;
        }
        List<Ended> revoked = grants.revokeTrees(uncovered, "system", reason);
        if (!revoked.isEmpty()) {
            events.revoked(tenantId, principal, agent ? principal : revoked.get(0).agentId(), revoked, reason,
                    Actor.SYSTEM);
        }
    }

    /** The tenant's catalogue, for the subset checks: which scopes exist and what each implies. */
    ScopeCatalogue catalogue(String tenantId) {
        return catalogues.of(tenantId);
    }

    /** A fresh delegation token for a live grant, for its delegate or granting human. */
    @Transactional
    public String token(Caller caller, String tenantId, String id) {
        Grant grant = visible(caller, tenantId, id);
        if (!caller.id().equals(grant.agentId) && !caller.id().equals(grant.userId)) {
            throw ProblemException.forbidden("delegation_forbidden", "only the delegate or the granting human");
        }
        Instant now = Instant.now();
        if (!grant.isLive(now)) {
            throw ProblemException.conflict("delegation_not_active", "the grant is " + state(grant));
        }
        return tokens.mint(grant);
    }

    /** The grant, if the caller may see it: its tenant's admins and auditors, its human, its delegator, its delegate. */
    @Transactional
    public Grant visible(Caller caller, String tenantId, String id) {
        return grants.find(tenantId, id).filter(g -> sees(caller, g))
                .orElseThrow(() -> ProblemException.notFound("delegation_not_found", "no such delegation"));
    }

    private static boolean sees(Caller caller, Grant grant) {
        return seesAll(caller) || caller.id().equals(grant.userId) || caller.id().equals(grant.agentId)
                || caller.id().equals(grant.delegatorId);
    }

    /** Tenant admins and auditors see every grant of their tenant. */
    static boolean seesAll(Caller caller) {
        return caller.isTenantAdmin() || caller.has(Caller.AUDITOR);
    }

    /** What a grant that is not live is: revoked, expired (perhaps not yet swept). */
    static String state(Grant grant) {
        return grant.status == Grant.Status.active ? "expired" : grant.status.name();
    }

    private KnownAgent activeAgent(String tenantId, String agentId) {
        KnownAgent agent = agents.find(agentId).filter(a -> a.tenantId().equals(tenantId))
                .orElseThrow(() -> ProblemException.notFound("agent_not_found", "no such agent in this tenant"));
        if (!agent.isActive()) {
            throw ProblemException.conflict("agent_not_active", "the agent is " + agent.status());
        }
        return agent;
    }

    private Grant newGrant(String id, String tenantId, String agentId, List<String> scopes, Duration lifetime) {
        Grant grant = new Grant();
        grant.id = id;
        grant.tenantId = tenantId;
        grant.agentId = agentId;
        grant.scopes = scopes;
        grant.status = Grant.Status.active;
        grant.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        grant.expiresAt = grant.createdAt.plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        return grant;
    }

    /** A lifetime in seconds: required, positive, at most the tenant's maximum. */
    Duration lifetime(String tenantId, String field, Long seconds) {
        if (seconds == null) {
            throw ProblemException.invalid(field, "is required (seconds)");
        }
        Duration max = config.tenant(tenantId, DelegationConfig.Tenant::maxExpiry);
        if (seconds < 1 || seconds > max.toSeconds()) {
            throw ProblemException.invalid(field, "must be between 1 and " + max.toSeconds() + " seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    private int maxDepth(String tenantId, Integer requested, int min, int max) {
        if (requested == null) {
            return Math.min(max, config.tenant(tenantId, DelegationConfig.Tenant::defaultMaxDepth));
        }
        if (requested < min || requested > max) {
            throw ProblemException.invalid("max_depth", "must be between " + min + " and " + max);
        }
        return requested;
    }

    static String purpose(String purpose) {
        if (purpose != null && purpose.length() > MAX_PURPOSE) {
            throw ProblemException.invalid("purpose", "at most " + MAX_PURPOSE + " characters");
        }
        return purpose;
    }
}
