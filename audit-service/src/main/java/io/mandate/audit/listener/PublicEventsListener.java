package io.mandate.audit.listener;

import io.mandate.audit.chain.HashChain;
import io.mandate.audit.export.OcsfFeed;
import io.mandate.auth.KnownHumans;
import io.mandate.eventing.CloudEvent;
import io.mandate.eventing.Inbox;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records every event of the public topics in its tenant's hash chain. The row and the inbox entry
 * commit together, and the offset is acknowledged only after that commit: a crash re-delivers, never
 * loses, and never doubles. The records of a poll are appended in one transaction, in order
 * ({@link Inbox#processBatch}); then the {@link OcsfFeed} is woken to publish them.
 */
@ApplicationScoped
public class PublicEventsListener {

    public static final String CHANNEL = "public-events";
    private static final String CONSUMER = "audit-service.trail";

    private final Inbox inbox;
    private final HashChain chain;
    private final OcsfFeed ocsfFeed;
    private final KnownHumans knownHumans;

    PublicEventsListener(Inbox inbox, HashChain chain, OcsfFeed ocsfFeed, KnownHumans knownHumans) {
        this.inbox = inbox;
        this.chain = chain;
        this.ocsfFeed = ocsfFeed;
        this.knownHumans = knownHumans;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> onEvents(KafkaRecordBatch<String, String> batch) {
        CompletionStage<Void> acknowledged = inbox.processBatch(CONSUMER, batch, this::recordAll);
        ocsfFeed.wake();
        return acknowledged;
    }

    private void recordAll(List<CloudEvent> events) {
        chain.appendAll(events.stream().map(event -> new HashChain.Entry(event, agentOf(event))).toList());
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
