package io.mandate.eventing.inbox;

import io.mandate.eventing.envelope.BadEventException;
import io.mandate.eventing.envelope.CloudEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A consumer written the way audit- and webhook-service write theirs (the records of a poll applied
 * together by {@link Inbox#processBatch}); its effect is a {@link TestEffect} row per event.
 */
@ApplicationScoped
public class TestListener {

    /** Events whose effect should fail this many more times before succeeding. */
    static final Map<String, AtomicInteger> FAILURES_TO_INJECT = new ConcurrentHashMap<>();
    /** Events this consumer refuses (until a test lifts it, as a fix would). */
    static final Set<String> REFUSED = ConcurrentHashMap.newKeySet();

    private final Inbox inbox;
    private final EntityManager em;

    TestListener(Inbox inbox, EntityManager em) {
        this.inbox = inbox;
        this.em = em;
    }

    @Incoming("test-events")
    @Blocking
    public CompletionStage<Void> onEvents(KafkaRecordBatch<String, String> batch) {
        return inbox.processBatch("eventing-test", batch, events -> events.forEach(this::apply));
    }

    private void apply(CloudEvent event) {
        TestEffect effect = new TestEffect();
        effect.eventId = event.id();
        effect.note = event.type();
        em.persist(effect);
        em.flush();
        AtomicInteger failures = FAILURES_TO_INJECT.get(event.id());
        if (failures != null && failures.getAndDecrement() > 0) {
            throw new IllegalStateException("injected failure after the effect was written");
        }
        if (REFUSED.contains(event.id())) {
            throw new BadEventException("this consumer does not know " + event.id() + " yet");
        }
        if ("test.poison".equals(event.type())) {
            throw new BadEventException("this consumer cannot handle test.poison");
        }
    }
}
