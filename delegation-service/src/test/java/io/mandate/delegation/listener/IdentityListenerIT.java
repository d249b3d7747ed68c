package io.mandate.delegation.listener;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mandate.api.TypeIds;
import io.mandate.delegation.repository.AgentStatusRepository;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IdentityListenerIT {

    @Inject
    AgentStatusRepository agents;

    static String agentEvent(String type, String agentId, String status, long version) {
        return TestEvents.from("identity-service", type).subject(agentId).time("2026-11-22T00:00:00Z").tenant("ten_a")
                .partitionKey(agentId).data(Map.of("tenant_id", "ten_a", "agent_id", agentId, "agent",
                        Map.of("id", agentId, "tenant_id", "ten_a", "status", status, "version", version)))
                .json();
    }

    private Optional<String> status(String agentId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> agents.findStatus(agentId));
    }

    @Test
    void revokedAgentStaysRevokedEvenWhenAnOlderEventArrivesLate() {
        String agentId = TypeIds.newId("agt");
        String marker = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.registered", agentId, "active", 0));
            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.revoked", agentId, "revoked", 1));
            // A redelivered older snapshot must not bring the agent back.
            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.registered", agentId, "active", 0));
            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.registered", marker, "active", 0));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> status(marker).isPresent());
        assertEquals(Optional.of("revoked"), status(agentId));
    }
}
