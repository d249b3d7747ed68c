package io.mandate.delegation.listener;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.auth.Caller;
import io.mandate.auth.KnownHumans;
import io.mandate.delegation.repository.AgentStatusRepository;
import io.mandate.delegation.repository.ScopeCatalogueRepository;
import io.mandate.delegation.service.Delegations;
import io.mandate.eventing.envelope.AgentSnapshot;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.envelope.PermissionChange;
import io.mandate.eventing.envelope.ResourceSnapshot;
import io.mandate.eventing.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows agents, humans and the permission catalogues from identity-service, once per event: keeps
 * the projections, revokes every grant an agent or human takes part in when it is revoked, suspended or
 * disabled, and the grants it no longer covers when its permissions or roles shrink (in the same
 * transaction as the inbox record, so a redelivery changes nothing).
 */
@ApplicationScoped
public class IdentityListener {

    public static final String CHANNEL = "identity-events";
    private static final String CONSUMER = "delegation-service.agents";
    private static final Set<String> ENDS_AGENT_GRANTS = Set.of("agent.revoked", "agent.suspended");
    private static final String HUMAN_DISABLED = "human.disabled";
    private static final String HUMAN_UPDATED = "human.updated";

    private final Inbox inbox;
    private final AgentStatusRepository agents;
    private final KnownHumans knownHumans;
    private final Delegations delegations;
    private final ScopeCatalogueRepository catalogues;

    IdentityListener(Inbox inbox, AgentStatusRepository agents, KnownHumans knownHumans, Delegations delegations,
            ScopeCatalogueRepository catalogues) {
        this.inbox = inbox;
        this.catalogues = catalogues;
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
            } else if ("active".equals(agent.status())) {
                delegations.revokeUncovered(agent.tenantId(), agent.id(), agent.permissions(), true, event.type());
            }
        });
        knownHumans.apply(event.type(), event.data());
        PermissionChange.of(event).ifPresent(catalogues::apply);
        ResourceSnapshot.of(event).ifPresent(catalogues::apply);
        JsonNode human = event.data() == null ? null : event.data().get("human");
        if (HUMAN_DISABLED.equals(event.type())) {
            delegations.revokeInvolving(human.path("tenant_id").asText(), human.path("id").asText(), event.type());
        } else if (HUMAN_UPDATED.equals(event.type())) {
            List<String> roles = texts(human.path("roles"));
            delegations.revokeUncovered(human.path("tenant_id").asText(), human.path("id").asText(),
                    texts(human.path("permissions")), roles.contains(Caller.OWNER) || roles.contains(Caller.TENANT_ADMIN),
                    event.type());
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
