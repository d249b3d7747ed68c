package io.mandate.delegation.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.persistence.LockModeType;
import java.util.Optional;

/** A repository of rows that belong to a tenant: found only within it, optionally locked. */
interface TenantRows<T> extends PanacheRepositoryBase<T, String> {

    default Optional<T> find(String tenantId, String id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
    }

    /** Locks the row: a grant gets a child or is revoked, a request is decided, one at a time. */
    default Optional<T> findForUpdate(String tenantId, String id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }
}
