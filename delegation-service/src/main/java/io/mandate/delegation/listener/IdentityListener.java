package io.mandate.delegation.listener;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.delegation.repository.AgentStatusRepository;
import io.mandate.eventing.BadEventException;
import io.mandate.eventing.CloudEvent;
import io.mandate.eventing.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Follows agents' lifecycle from identity-service (agent.revoked, agent.suspended, ...), once per event. */
@ApplicationScoped
public class IdentityListener {

    public static final String CHANNEL = "identity-events";
    private static final String CONSUMER = "delegation-service.agents";

    private final Inbox inbox;
    private final AgentStatusRepository agents;

    IdentityListener(Inbox inbox, AgentStatusRepository agents) {
        this.inbox = inbox;
        this.agents = agents;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onIdentityEvent(String json) {
        inbox.process(CONSUMER, json, this::apply);
    }

    private void apply(CloudEvent event) {
        JsonNode agent = event.data() == null ? null : event.data().get("agent");
        if (!event.type().startsWith("agent.") || agent == null) {
            return;
        }
        String id = agent.path("id").asText(null);
        String tenantId = agent.path("tenant_id").asText(null);
        String status = agent.path("status").asText(null);
        if (id == null || tenantId == null || status == null) {
            throw new BadEventException(event.type() + " without agent id, tenant or status");
        }
        agents.upsert(id, tenantId, status, agent.path("version").asLong());
    }
}
