package io.mandate.identity.service;

import io.mandate.auth.Caller;
import io.mandate.auth.HumanDirectory;
import io.mandate.identity.Human;
import io.mandate.identity.repository.HumanRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.Optional;

/**
 * Answers the auth library from identity-service's own tables: disabled accounts stop working at
 * once here, and an enterprise-IdP identity is linked to the account with its email the first time
 * it signs in (then matched by subject, as Keycloak links federated identities).
 */
@ApplicationScoped
public class HumanAccounts implements HumanDirectory {

    private final HumanRepository humans;

    HumanAccounts(HumanRepository humans) {
        this.humans = humans;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Caller> external(String tenantId, String subject, String email) {
        Optional<Human> human = humans.byExternalSubject(tenantId, subject);
        if (human.isEmpty() && email != null) {
            human = humans.byEmail(tenantId, email).filter(h -> h.externalSubject == null);
            human.ifPresent(h -> h.externalSubject = subject);
        }
        return human.filter(h -> h.status == Human.Status.active)
                .map(h -> new Caller(Caller.Kind.HUMAN, h.id, h.tenantId, new HashSet<>(h.roles), h.email));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isActive(String tenantId, String userId) {
        return humans.findInTenant(tenantId, userId).filter(h -> h.status == Human.Status.active).isPresent();
    }
}
