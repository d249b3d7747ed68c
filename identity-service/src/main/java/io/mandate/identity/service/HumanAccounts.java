package io.mandate.identity.service;

import io.mandate.auth.Caller;
import io.mandate.auth.HumanDirectory;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.Human;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.identity.repository.HumanRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Answers the auth library from identity-service's own tables: each request gets the account's
 * current roles and email, disabled accounts stop working at once here, and an enterprise-IdP identity is linked to the account with its email the first time
 * it signs in (then matched by subject, as Keycloak links federated identities).
 */
@ApplicationScoped
public class HumanAccounts implements HumanDirectory {

    private final HumanRepository humans;
    private final IdentityEvents events;

    HumanAccounts(HumanRepository humans, IdentityEvents events) {
        this.humans = humans;
        this.events = events;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Caller> external(String tenantId, String subject, String email) {
        Optional<Human> human = humans.byExternalSubject(tenantId, subject);
        if (human.isEmpty() && email != null) {
            human = humans.byEmail(tenantId, email)
                    .filter(h -> h.externalSubject == null && h.status == Human.Status.active);
            human.ifPresent(h -> link(h, subject));
        }
        return human.filter(h -> h.status == Human.Status.active).map(HumanAccounts::caller);
    }

    /**
     * Other services map by subject from here on: {@code human.updated} carries it, and the verifier tells
     * token-service (whose sign-in page offers the IdP too).
     */
    private void link(Human human, String subject) {
        human.externalSubject = subject;
        human.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        humans.save(human);
        events.humanChanged(IdentityEvents.HUMAN_UPDATED, human, Actor.human(human.id));
        events.humanVerifier(human, Actor.human(human.id));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Caller> current(Caller claimed) {
        return humans.find(claimed.tenantId(), claimed.id()).filter(h -> h.status == Human.Status.active)
                .map(HumanAccounts::caller);
    }

    private static Caller caller(Human human) {
        Set<String> roles = new HashSet<>(human.roles);
        roles.retainAll(Caller.HUMAN_ROLES);
        return new Caller(Caller.Kind.HUMAN, human.id, human.tenantId, roles, human.email);
    }
}
