package io.mandate.identity.repository;

import io.mandate.api.Page;
import io.mandate.identity.Agent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class AgentRepository implements PanacheRepositoryBase<Agent, String> {

    /** The agent of this tenant, locked for update so concurrent changes publish in order. */
    public Optional<Agent> findForUpdate(String tenantId, String id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /** One page of the tenant's agents, newest first; null filters match everything. */
    public List<Agent> list(String tenantId, Agent.Status status, Agent.Tier tier, String ownerEmail, Page.After after,
            int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (tier != null) {
            query.append(" and tier = :tier");
            params.and("tier", tier);
        }
        if (ownerEmail != null) {
            query.append(" and ownerEmail = :owner");
            params.and("owner", ownerEmail);
        }
        if (after != null) {
            query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.and("at", after.createdAt()).and("id", after.id());
        }
        return find(query + " order by createdAt desc, id desc", params).page(0, limit).list();
    }

    public Optional<Agent> findInTenant(String tenantId, String id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
    }
}
