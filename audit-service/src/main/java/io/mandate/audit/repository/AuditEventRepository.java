package io.mandate.audit.repository;

import io.mandate.audit.AuditEvent;
import io.mandate.eventing.CloudEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, Long> {

    /** Appends the event; a second copy of the same id is ignored. */
    public void append(CloudEvent event, String agentId, String json) {
        getEntityManager().createNativeQuery("""
                insert into audit_event (id, tenant_id, type, source, subject, agent_id, actor_type, actor_id, time, event)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, cast(?10 as jsonb))
                on conflict (id) do nothing""")
                .setParameter(1, event.id()).setParameter(2, event.tenantid()).setParameter(3, event.type())
                .setParameter(4, event.source()).setParameter(5, event.subject()).setParameter(6, agentId)
                .setParameter(7, event.authtype()).setParameter(8, event.authid())
                .setParameter(9, OffsetDateTime.parse(event.time())).setParameter(10, json)
                .executeUpdate();
    }

    /** One tenant's events, newest first, after the cursor's {@code seq}; {@code limit + 1} rows tell whether a next page exists. */
    public List<AuditEvent> search(String tenantId, String agentId, String type, Long beforeSeq, int limit) {
        List<String> where = new ArrayList<>();
        Parameters params = Parameters.with("tenantId", tenantId);
        where.add("tenantId = :tenantId");
        if (agentId != null) {
            where.add("agentId = :agentId");
            params.and("agentId", agentId);
        }
        if (type != null) {
            where.add("type = :type");
            params.and("type", type);
        }
        if (beforeSeq != null) {
            where.add("seq < :before");
            params.and("before", beforeSeq);
        }
        String query = String.join(" and ", where) + " order by seq desc";
        return find(query, params).page(0, limit + 1).list();
    }
}
