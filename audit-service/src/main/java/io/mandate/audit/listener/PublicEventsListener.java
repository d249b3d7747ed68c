package io.mandate.audit.listener;

import io.mandate.audit.repository.AuditEventRepository;
import io.mandate.auth.KnownHumans;
import io.mandate.eventing.CloudEvent;
import io.mandate.eventing.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records every event of the public topics. The row and the inbox entry commit together, and the
 * offset is acknowledged only after that commit: a crash re-delivers, never loses, and never doubles.
 */
@ApplicationScoped
public class PublicEventsListener {

    public static final String CHANNEL = "public-events";
    private static final String CONSUMER = "audit-service.trail";

    private final Inbox inbox;
    private final AuditEventRepository events;
    private final KnownHumans knownHumans;

    PublicEventsListener(Inbox inbox, AuditEventRepository events, KnownHumans knownHumans) {
        this.inbox = inbox;
        this.events = events;
        this.knownHumans = knownHumans;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onEvent(String json) {
        inbox.process(CONSUMER, json, event -> {
            events.append(event, agentOf(event), json);
            knownHumans.apply(event.type(), event.data());
        });
    }

    /** The agent an event is about: its {@code agent_id} field, or the subject when that is an agent id. */
    static String agentOf(CloudEvent event) {
        String agentId = event.dataText("agent_id");
        if (agentId != null) {
            return agentId;
        }
        return event.subject() != null && event.subject().startsWith("agt_") ? event.subject() : null;
    }
}
