package io.mandate.delegation.mapping;

import io.mandate.delegation.Grant;
import java.time.Instant;
import java.util.List;

/** A grant as callers see it; {@code chain} runs from the root grant to this one. */
public record GrantView(String id, String tenantId, String userId, String agentId, String delegatorType,
        String delegatorId, String parentId, int depth, int maxDepth, List<Grant.Link> chain, List<String> scopes,
        String purpose, String status, Instant createdAt, Instant expiresAt, Instant revokedAt, String revokedReason) {

    public static GrantView of(Grant grant) {
        return new GrantView(grant.id, grant.tenantId, grant.userId, grant.agentId, grant.delegatorType,
                grant.delegatorId, grant.parentId, grant.depth, grant.maxDepth, grant.chain(), grant.scopes,
                grant.purpose, grant.status.name(), grant.createdAt, grant.expiresAt, grant.revokedAt,
                grant.revokedReason);
    }
}
