package io.mandate.delegation.listener;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.auth.KnownHumans;
import io.mandate.delegation.repository.AgentStatusRepository;
import io.mandate.delegation.service.Delegations;
import io.mandate.eventing.AgentSnapshot;
import io.mandate.eventing.CloudEvent;
import io.mandate.eventing.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows agents and humans from identity-service, once per event: keeps the projections, and revokes
 * every grant an agent or human takes part in when it is revoked, suspended or disabled (in the same
 * transaction as the inbox record, so a redelivery changes nothing).
 */
@ApplicationScoped
public class IdentityListener {

    public static final String CHANNEL = "identity-events";
    private static final String CONSUMER = "delegation-service.agents";
    private static final Set<String> ENDS_AGENT_GRANTS = Set.of("agent.revoked", "agent.suspended");
    private static final String HUMAN_DISABLED = "human.disabled";

    private final Inbox inbox;
    private final AgentStatusRepository agents;
    private final KnownHumans knownHumans;
    private final Delegations delegations;

    IdentityListener(Inbox inbox, AgentStatusRepository agents, KnownHumans knownHumans, Delegations delegations) {
        this.inbox = inbox;
        this.agents = agents;
        this.knownHumans = knownHumans;
        this.delegations = delegations;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onIdentityEvent(ConsumerRecord<String, String> record) {
        inbox.process(CONSUMER, record, this::apply);
    }

    private void apply(CloudEvent event) {
        AgentSnapshot.of(event).ifPresent(agent -> {
            agents.upsert(agent.id(), agent.tenantId(), agent.status(), agent.permissions(), agent.version());
            if (ENDS_AGENT_GRANTS.contains(event.type())) {
                delegations.revokeInvolving(agent.tenantId(), agent.id(), event.type());
            }
        });
        knownHumans.apply(event.type(), event.data());
        if (HUMAN_DISABLED.equals(event.type())) {
            JsonNode human = event.data().path("human");
            delegations.revokeInvolving(human.path("tenant_id").asText(), human.path("id").asText(), event.type());
        }
    }
}
