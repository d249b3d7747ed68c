package io.mandate.audit.listener;

import io.mandate.audit.chain.HashChain;
import io.mandate.audit.config.AuditConfig;
import io.mandate.audit.export.OcsfFeed;
import io.mandate.auth.KnownHumans;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.inbox.Inbox;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records every event of the public topics in its tenant's hash chain, once: the trail itself is the
 * record of what was applied (a second copy of an id is left out by {@link HashChain#appendAll}), and
 * the offset is acknowledged only after the commit, so a crash re-delivers, never loses, and never
 * doubles. The records of a poll are appended per tenant shard, one transaction each, in order
 * ({@link Inbox#processIdempotentBatch}); then the {@link OcsfFeed} is woken to publish them.
 */
@ApplicationScoped
public class PublicEventsListener {

    public static final String CHANNEL = "public-events";
    private static final String CONSUMER = "audit-service.trail";

    private final Inbox inbox;
    private final HashChain chain;
    private final OcsfFeed ocsfFeed;
    private final KnownHumans knownHumans;
    private final AuditConfig config;

    PublicEventsListener(Inbox inbox, HashChain chain, OcsfFeed ocsfFeed, KnownHumans knownHumans,
            AuditConfig config) {
        this.inbox = inbox;
        this.chain = chain;
        this.ocsfFeed = ocsfFeed;
        this.knownHumans = knownHumans;
        this.config = config;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> onEvents(KafkaRecordBatch<String, String> batch) {
        // Each tenant's chain is locked by the transaction that appends to it: sharded by tenant, the
        // shards' transactions never wait for each other.
        CompletionStage<Void> acknowledged = inbox.processIdempotentBatch(CONSUMER, batch, config.ingestShards(),
                event -> HashChain.chainOf(event.tenantid()).hashCode(), this::recordAll);
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
