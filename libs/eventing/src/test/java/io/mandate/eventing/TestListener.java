package io.mandate.eventing;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A consumer written the way services write theirs (records in parallel, events that arrive together
 * committed together by {@link GroupCommit}); its effect is a {@link TestEffect} row.
 */
@ApplicationScoped
public class TestListener {

    /** Events whose effect should fail this many more times before succeeding. */
    static final Map<String, AtomicInteger> FAILURES_TO_INJECT = new ConcurrentHashMap<>();

    private final GroupCommit inbox;
    private final EntityManager em;

    TestListener(Inbox inbox, EntityManager em) {
        this.inbox = new GroupCommit(inbox, "eventing-test", this::apply, 20);
        this.em = em;
    }

    @Incoming("test-events")
    @Blocking(ordered = false)
    public void onEvent(String json) {
        inbox.process(json);
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
        if ("test.poison".equals(event.type())) {
            throw new BadEventException("this consumer cannot handle test.poison");
        }
    }
}
