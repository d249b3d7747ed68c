package io.mandate.audit.repository;

import io.mandate.audit.AuditEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, Long> {

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
