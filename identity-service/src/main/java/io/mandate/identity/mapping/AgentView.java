package io.mandate.identity.mapping;

import io.mandate.identity.Agent;
import io.mandate.identity.OAuthClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The agent as callers and event consumers see it (snake_case on the wire). */
public record AgentView(
        String id,
        String tenantId,
        String name,
        String ownerEmail,
        String description,
        List<String> permissions,
        Map<String, Object> metadata,
        OAuthClient client,
        String tier,
        String status,
        int trustLevel,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant revokedAt) {

    public static AgentView of(Agent agent) {
        return new AgentView(agent.id, agent.tenantId, agent.name, agent.ownerEmail, agent.description,
                List.copyOf(agent.permissions), agent.metadata, agent.client, agent.tier.name(), agent.status.name(),
                agent.trustLevel, agent.version, agent.createdAt, agent.updatedAt, agent.revokedAt);
    }
}
