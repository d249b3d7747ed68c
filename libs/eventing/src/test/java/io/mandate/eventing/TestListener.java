package io.mandate.eventing;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A consumer written the way services write theirs; its effect is a {@link TestEffect} row. */
@ApplicationScoped
public class TestListener {

    /** Events whose effect should fail this many more times before succeeding. */
    static final Map<String, AtomicInteger> FAILURES_TO_INJECT = new ConcurrentHashMap<>();

    private final Inbox inbox;
    private final EntityManager em;

    TestListener(Inbox inbox, EntityManager em) {
        this.inbox = inbox;
        this.em = em;
    }

    @Incoming("test-events")
    @Blocking
    public void onEvent(String json) {
        inbox.process("eventing-test", json, event -> {
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
        });
    }
}
