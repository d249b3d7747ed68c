package io.mandate.identity.repository;

import io.mandate.identity.Human;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class HumanRepository implements PanacheRepositoryBase<Human, String> {

    public Optional<Human> findInTenant(String tenantId, String id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
    }

    public Optional<Human> findForUpdate(String tenantId, String id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    public boolean usernameTaken(String username) {
        return count("lower(username) = ?1", username.toLowerCase()) > 0;
    }

    public boolean emailTaken(String tenantId, String email, String exceptId) {
        return count("tenantId = ?1 and lower(email) = ?2 and id <> ?3", tenantId, email.toLowerCase(), exceptId) > 0;
    }

    public Optional<Human> byExternalSubject(String tenantId, String subject) {
        return find("tenantId = ?1 and externalSubject = ?2", tenantId, subject).firstResultOptional();
    }

    public Optional<Human> byEmail(String tenantId, String email) {
        return find("tenantId = ?1 and lower(email) = ?2", tenantId, email.toLowerCase()).firstResultOptional();
    }

    /** One page of the tenant's humans in a stable order (by id), after {@code afterId} when given. */
    public List<Human> page(String tenantId, String afterId, int limit) {
        return (afterId == null ? find("tenantId = ?1 order by id", tenantId)
                : find("tenantId = ?1 and id > ?2 order by id", tenantId, afterId)).page(0, limit).list();
    }
}
