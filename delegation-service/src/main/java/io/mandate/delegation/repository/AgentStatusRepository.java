package io.mandate.delegation.repository;

import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final Sql sql;

    AgentStatusRepository(Sql sql) {
        this.sql = sql;
    }

    public void upsert(String agentId, String tenantId, String status, List<String> permissions, long version) {
        sql.update("""
                insert into agent_status (agent_id, tenant_id, status, version, permissions) values (?1, ?2, ?3, ?4, ?5)
                on conflict (agent_id) do update set status = excluded.status, version = excluded.version,
                    permissions = excluded.permissions, updated_at = now()
                where agent_status.version < excluded.version""",
                agentId, tenantId, status, version, permissions.toArray(String[]::new));
    }

    public Optional<String> findStatus(String agentId) {
        return find(agentId).map(KnownAgent::status);
    }

    public Optional<KnownAgent> find(String agentId) {
        return sql.first("select agent_id, tenant_id, status, permissions from agent_status where agent_id = ?1",
                row -> new KnownAgent(row.string("agent_id"), row.string("tenant_id"), row.string("status"),
                        row.strings("permissions")),
                agentId);
    }
}
