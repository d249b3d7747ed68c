package io.mandate.delegation.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** The agent-status projection; an upsert never goes back in version. */
@ApplicationScoped
public class AgentStatusRepository {

    private final EntityManager em;

    AgentStatusRepository(EntityManager em) {
        this.em = em;
    }

    public void upsert(String agentId, String tenantId, String status, long version) {
        em.createNativeQuery("""
                insert into agent_status (agent_id, tenant_id, status, version) values (?1, ?2, ?3, ?4)
                on conflict (agent_id) do update set status = excluded.status, version = excluded.version,
                    updated_at = now()
                where agent_status.version < excluded.version""")
                .setParameter(1, agentId).setParameter(2, tenantId).setParameter(3, status).setParameter(4, version)
                .executeUpdate();
    }

    public Optional<String> findStatus(String agentId) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select status from agent_status where agent_id = ?1")
                .setParameter(1, agentId).getResultList();
        return rows.stream().findFirst();
    }
}
