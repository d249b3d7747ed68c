package io.mandate.delegation.service;

import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.delegation.Grant;
import io.mandate.delegation.repository.GrantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/** Reading grants: lists as each caller may see them, and the validate answer for a delegation token. */
@ApplicationScoped
public class GrantQueries {

    /** {@code POST /v1/delegations/validate}'s answer: the grant when valid, else why not. */
    public record Validation(boolean valid, String reason, Grant grant) {

        static Validation invalid(String reason) {
            return new Validation(false, reason, null);
        }
    }

    private final GrantRepository grants;
    private final DelegationTokens tokens;

    GrantQueries(GrantRepository grants, DelegationTokens tokens) {
        this.grants = grants;
        this.tokens = tokens;
    }

    /**
     * Valid when this service signed the token, for the caller's tenant, and its grant (and so its
     * whole chain: revoking or expiring a grant ends its descendants) is live now.
     */
    @Transactional
    public Validation validate(String tenantId, String token) {
        if (token == null || token.isBlank()) {
            throw ProblemException.invalid("delegation_token", "is required");
        }
        var claims = tokens.read(token);
        if (claims.isEmpty()) {
            return Validation.invalid("invalid_token");
        }
        if (!claims.get().tenantId().equals(tenantId)) {
            return Validation.invalid("wrong_tenant");
        }
        Grant grant = grants.find(tenantId, claims.get().delegationId()).orElse(null);
        if (grant == null) {
            return Validation.invalid("invalid_token");
        }
        if (grant.status == Grant.Status.revoked) {
            return Validation.invalid("revoked");
        }
        if (!grant.isLive(Instant.now())) {
            return Validation.invalid("expired");
        }
        return new Validation(true, null, grant);
    }

    /**
     * One page of the tenant's grants. Admins and auditors filter freely; a human sees the grants it
     * stands at the root of, an agent those it receives or gives.
     */
    @Transactional
    public Page<Grant> list(Caller caller, String tenantId, String userId, String agentId, Grant.Status status,
            int limit, String cursor) {
        String onlyUser = null;
        String involving = null;
        if (!Delegations.seesAll(caller)) {
            if (caller.isAgent()) {
                involving = caller.id();
            } else {
                onlyUser = caller.id();
            }
        }
        if (onlyUser != null && userId != null && !userId.equals(onlyUser)) {
            return new Page<>(List.of(), null);
        }
        List<Grant> rows = grants.list(tenantId, onlyUser != null ? onlyUser : userId, agentId, involving, status,
                Page.After.of(cursor), limit + 1);
        return Page.of(rows, limit, g -> Page.After.position(g.createdAt, g.id), g -> g);
    }
}
