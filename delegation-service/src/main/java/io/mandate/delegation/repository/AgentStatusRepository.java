package io.mandate.delegation.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The agent projection (status and permissions); an upsert never goes back in version. */
@ApplicationScoped
public class AgentStatusRepository {

    /** An agent as the last identity event described it. */
    public record KnownAgent(String id, String tenantId, String status, List<String> permissions) {

        public boolean isActive() {
            return "active".equals(status);
        }
    }

    private final EntityManager em;

    AgentStatusRepository(EntityManager em) {
        this.em = em;
    }

    public void upsert(String agentId, String tenantId, String status, List<String> permissions, long version) {
        em.createNativeQuery("""
                insert into agent_status (agent_id, tenant_id, status, version, permissions) values (?1, ?2, ?3, ?4, ?5)
                on conflict (agent_id) do update set status = excluded.status, version = excluded.version,
                    permissions = excluded.permissions, updated_at = now()
                where agent_status.version < excluded.version""")
                .setParameter(1, agentId).setParameter(2, tenantId).setParameter(3, status).setParameter(4, version)
                .setParameter(5, permissions.toArray(String[]::new))
                .executeUpdate();
    }

    public Optional<String> findStatus(String agentId) {
        return find(agentId).map(KnownAgent::status);
    }

    public Optional<KnownAgent> find(String agentId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "select agent_id, tenant_id, status, permissions from agent_status where agent_id = ?1")
                .setParameter(1, agentId).getResultList();
        return rows.stream().findFirst().map(r -> new KnownAgent((String) r[0], (String) r[1], (String) r[2],
                Arrays.asList((String[]) r[3])));
    }
}
