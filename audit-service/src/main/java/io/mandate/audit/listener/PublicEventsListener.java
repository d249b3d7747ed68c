package io.mandate.audit.listener;

import io.mandate.audit.chain.HashChain;
import io.mandate.audit.chain.Trail;
import io.mandate.auth.KnownHumans;
import io.mandate.eventing.CloudEvent;
import io.mandate.eventing.GroupCommit;
import io.mandate.eventing.Inbox;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records every event of the public topics in its tenant's hash chain ({@link Trail}). The row and the inbox entry
 * commit together, and the offset is acknowledged only after that commit: a crash re-delivers, never
 * loses, and never doubles. Records arrive on several threads; the events waiting together are
 * appended in one transaction ({@link GroupCommit}), in the order they are applied.
 */
@ApplicationScoped
public class PublicEventsListener {

    public static final String CHANNEL = "public-events";
    private static final String CONSUMER = "audit-service.trail";
    private static final int MAX_BATCH = 500;

    private final GroupCommit inbox;
    private final Trail trail;
    private final KnownHumans knownHumans;

    PublicEventsListener(Inbox inbox, Trail trail, KnownHumans knownHumans) {
        this.inbox = new GroupCommit(inbox, CONSUMER, MAX_BATCH, this::recordAll);
        this.trail = trail;
        this.knownHumans = knownHumans;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = false)
    public void onEvent(String json) {
        inbox.process(json);
    }

    private void recordAll(List<CloudEvent> events) {
        trail.recordAll(events.stream().map(event -> new HashChain.Entry(event, agentOf(event))).toList());
        events.forEach(event -> knownHumans.apply(event.type(), event.data()));
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
