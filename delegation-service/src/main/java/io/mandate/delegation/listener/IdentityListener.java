package io.mandate.delegation.listener;

import io.mandate.auth.KnownHumans;
import io.mandate.delegation.repository.AgentStatusRepository;
import io.mandate.eventing.AgentSnapshot;
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
    private final KnownHumans knownHumans;

    IdentityListener(Inbox inbox, AgentStatusRepository agents, KnownHumans knownHumans) {
        this.inbox = inbox;
        this.agents = agents;
        this.knownHumans = knownHumans;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onIdentityEvent(String json) {
        inbox.process(CONSUMER, json, this::apply);
    }

    private void apply(CloudEvent event) {
        AgentSnapshot.of(event).ifPresent(agent ->
                agents.upsert(agent.id(), agent.tenantId(), agent.status(), agent.version()));
        knownHumans.apply(event.type(), event.data());
    }
}
