package io.mandate.identity.repository;

import io.mandate.identity.Credential;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class CredentialRepository implements PanacheRepositoryBase<Credential, String> {

    public List<Credential> findByAgent(String agentId) {
        return list("agentId = ?1 order by createdAt", agentId);
    }

    public Optional<Credential> findForUpdate(String agentId, String credentialId) {
        return find("id = ?1 and agentId = ?2", credentialId, agentId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }
}
