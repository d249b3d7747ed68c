package io.mandate.delegation.mapping;

import io.mandate.delegation.Grant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A grant as callers see it; {@code chain} runs from the root grant to this one. */
public record GrantView(String id, String tenantId, String userId, String agentId, String delegatorType,
        String delegatorId, String parentId, int depth, int maxDepth, List<Link> chain, List<String> scopes,
        String purpose, String status, Instant createdAt, Instant expiresAt, Instant revokedAt, String revokedReason) {

    /** One hop: the grant and its delegate. */
    public record Link(String delegationId, String agentId) {
    }

    public static GrantView of(Grant grant) {
        return new GrantView(grant.id, grant.tenantId, grant.userId, grant.agentId, grant.delegatorType,
                grant.delegatorId, grant.parentId, grant.depth, grant.maxDepth, chain(grant), grant.scopes,
                grant.purpose, grant.status.name(), grant.createdAt, grant.expiresAt, grant.revokedAt,
                grant.revokedReason);
    }

    public static List<Link> chain(Grant grant) {
        List<Link> chain = new ArrayList<>();
        for (int i = 0; i < grant.chainIds.size(); i++) {
            chain.add(new Link(grant.chainIds.get(i), grant.chainAgents.get(i)));
        }
        return chain;
    }
}
