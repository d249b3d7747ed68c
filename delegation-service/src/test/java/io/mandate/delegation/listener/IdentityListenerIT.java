package io.mandate.delegation.listener;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mandate.api.TypeIds;
import io.mandate.delegation.repository.AgentStatusRepository;
import io.mandate.eventing.Topics;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IdentityListenerIT {

    @Inject
    AgentStatusRepository agents;

    static String agentEvent(String type, String agentId, String status, long version) {
        return """
                {"specversion":"1.0","id":"%s","source":"/mandate/identity-service","type":"%s","subject":"%s",
                 "time":"2026-11-22T00:00:00Z","tenantid":"ten_a","partitionkey":"%s",
                 "data":{"tenant_id":"ten_a","agent_id":"%s","agent":{"id":"%s","tenant_id":"ten_a","status":"%s","version":%d}}}"""
                .formatted(UUID.randomUUID(), type, agentId, agentId, agentId, agentId, status, version);
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
