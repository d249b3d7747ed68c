package io.mandate.eventing.inbox;

import io.mandate.eventing.envelope.BadEventException;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.sql.Sql;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A consumer written the way audit- and webhook-service write theirs (the records of a poll applied
 * together by {@link Inbox#processBatch}); its effect is a {@code test_effect} row per event.
 */
@ApplicationScoped
public class TestListener {

    /** Events whose effect should fail this many more times before succeeding. */
    static final Map<String, AtomicInteger> FAILURES_TO_INJECT = new ConcurrentHashMap<>();
    /** Events this consumer refuses (until a test lifts it, as a fix would). */
    static final Set<String> REFUSED = ConcurrentHashMap.newKeySet();

    private final Inbox inbox;
    private final Sql sql;

    TestListener(Inbox inbox, Sql sql) {
        this.inbox = inbox;
        this.sql = sql;
    }

    @Incoming("test-events")
    @Blocking
    public CompletionStage<Void> onEvents(KafkaRecordBatch<String, String> batch) {
        return inbox.processBatch("eventing-test", batch, events -> events.forEach(this::apply));
    }

    private void apply(CloudEvent event) {
        sql.update("insert into test_effect (event_id, note) values (?1, ?2)", event.id(), event.type());
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
