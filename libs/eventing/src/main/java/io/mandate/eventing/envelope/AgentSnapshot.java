package io.mandate.eventing.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent snapshot identity-service puts in every {@code agent.*} event ({@code data.agent}), as
 * the services that keep an agent projection read it. {@code version} orders snapshots of one agent.
 */
public record AgentSnapshot(String id, String tenantId, String status, List<String> permissions, String tier,
        int trustLevel, long version) {

    /**
     * The snapshot {@code event} carries; empty for events that carry none.
     *
     * @throws BadEventException when the snapshot lacks its id, tenant or status
     */
    public static Optional<AgentSnapshot> of(CloudEvent event) {
        JsonNode agent = event.data() == null ? null : event.data().get("agent");
        if (!event.type().startsWith("agent.") || agent == null || !agent.isObject()) {
            return Optional.empty();
        }
        String id = agent.path("id").asText(null);
        String tenantId = agent.path("tenant_id").asText(null);
        String status = agent.path("status").asText(null);
        if (id == null || tenantId == null || status == null) {
            throw new BadEventException(event.type() + " without agent id, tenant_id or status");
        }
        List<String> permissions = new ArrayList<>();
        agent.path("permissions").forEach(p -> permissions.add(p.asText()));
        return Optional.of(new AgentSnapshot(id, tenantId, status, List.copyOf(permissions),
                agent.path("tier").asText(null), agent.path("trust_level").asInt(1), agent.path("version").asLong()));
    }
}
