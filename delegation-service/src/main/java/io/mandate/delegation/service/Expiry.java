package io.mandate.delegation.service;

import io.mandate.delegation.config.DelegationConfig;
import io.mandate.delegation.event.DelegationEvents;
import io.mandate.delegation.repository.GrantRepository;
import io.mandate.delegation.repository.RequestRepository;
import io.mandate.eventing.loop.WakeableLoop;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;

/**
 * Marks grants and pending requests past their expiry as expired, with a {@code delegation.expired}
 * event each, without anyone asking. Replicas share the work ({@code SKIP LOCKED}).
 */
@ApplicationScoped
public class Expiry {

    private static final int BATCH = 200;

    private final GrantRepository grants;
    private final RequestRepository requests;
    private final DelegationEvents events;
    private final WakeableLoop loop;

    Expiry(GrantRepository grants, RequestRepository requests, DelegationEvents events, DelegationConfig config) {
        this.grants = grants;
        this.requests = requests;
        this.events = events;
        this.loop = new WakeableLoop("delegation-expiry", config.expirySweepInterval(), this::expireDue);
    }

    void start(@Observes StartupEvent startup) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        loop.stop();
    }

    /** One round; true when a batch was full and more may be due. */
    boolean expireDue() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            var expiredGrants = grants.expireDue(now, BATCH);
            expiredGrants.forEach(events::expired);
            var lapsed = requests.expireDue(now, BATCH);
            lapsed.forEach(r -> events.requestExpired(r.tenantId(), r.id(), r.agentId(), r.userId()));
            return expiredGrants.size() == BATCH || lapsed.size() == BATCH;
        });
    }
}
