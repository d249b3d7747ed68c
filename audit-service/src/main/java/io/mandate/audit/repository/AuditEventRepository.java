package io.mandate.audit.repository;

import io.mandate.audit.AuditEvent;
import io.mandate.audit.chain.HashChain;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, Long> {

    /** What {@code GET /v1/audit/events} filters on; null fields do not filter. Always one tenant. */
    public record Filter(String tenantId, String agentId, String actorId, String type, String outcome,
            String delegationId, Instant from, Instant to) {

        public Filter(String tenantId, String agentId) {
            this(tenantId, agentId, null, null, null, null, null, null);
        }
    }

    /**
     * One page in seq order (newest first unless {@code ascending}), after the cursor's {@code seq};
     * {@code limit + 1} rows tell whether a next page exists.
     */
    public List<AuditEvent> search(Filter filter, boolean ascending, Long afterSeq, int limit) {
        Parameters params = new Parameters();
        List<String> where = conditions(filter, params);
        if (afterSeq != null) {
            where.add(ascending ? "seq > :cursor" : "seq < :cursor");
            params.and("cursor", afterSeq);
        }
        String query = String.join(" and ", where) + " order by seq " + (ascending ? "asc" : "desc");
        return find(query, params).page(0, limit + 1).list();
    }

    /** Newest first, {@code offset} rows skipped: the agent activity endpoint's paging. */
    public List<AuditEvent> page(Filter filter, int offset, int limit) {
        Parameters params = new Parameters();
        String query = String.join(" and ", conditions(filter, params)) + " order by seq desc";
        return find(query, params).range(offset, offset + limit - 1).list();
    }

    public long count(Filter filter) {
        Parameters params = new Parameters();
        return count(String.join(" and ", conditions(filter, params)), params);
    }

    private static List<String> conditions(Filter filter, Parameters params) {
        List<String> where = new ArrayList<>();
        if (HashChain.PLATFORM.equals(filter.tenantId())) {
            // Events of no tenant (failed logins of unknown clients ...): the platform admin's to read.
            where.add("tenantId is null");
        } else {
            where.add("tenantId = :tenantId");
            params.and("tenantId", filter.tenantId());
        }
        equal(where, params, "agentId", filter.agentId());
        equal(where, params, "actorId", filter.actorId());
        equal(where, params, "type", filter.type());
        equal(where, params, "outcome", filter.outcome());
        equal(where, params, "delegationId", filter.delegationId());
        if (filter.from() != null) {
            where.add("time >= :from");
            params.and("from", filter.from());
        }
        if (filter.to() != null) {
            where.add("time < :to");
            params.and("to", filter.to());
        }
        return where;
    }

    private static void equal(List<String> where, Parameters params, String field, String value) {
        if (value != null) {
            where.add(field + " = :" + field);
            params.and(field, value);
        }
    }
}
