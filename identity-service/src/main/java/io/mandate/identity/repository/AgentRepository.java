package io.mandate.identity.repository;

import io.mandate.identity.Agent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;

@ApplicationScoped
public class AgentRepository implements PanacheRepositoryBase<Agent, String> {

    /** The agent of this tenant, locked for update so concurrent changes publish in order. */
    public Optional<Agent> findForUpdate(String tenantId, String id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    public Optional<Agent> findInTenant(String tenantId, String id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
    }
}
