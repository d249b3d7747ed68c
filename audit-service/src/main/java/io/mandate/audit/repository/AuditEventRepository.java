package io.mandate.audit.repository;

import io.mandate.audit.AuditEvent;
import io.mandate.audit.chain.HashChain;
import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code audit_event} rows (HashChain writes them). */
@ApplicationScoped
public class AuditEventRepository {

    /** What {@code GET /v1/audit/events} filters on; null fields do not filter. Always one tenant. */
    public record Filter(String tenantId, String agentId, String actorId, String type, String outcome,
            String delegationId, Instant from, Instant to) {

        public Filter(String tenantId, String agentId) {
            this(tenantId, agentId, null, null, null, null, null, null);
        }
    }

    private static final String COLUMNS = "select " + Fields.columns(AuditEvent.class) + " from audit_event";
    private static final Sql.Mapper<AuditEvent> EVENT = Fields.reader(AuditEvent.class);

    private final Sql sql;

    AuditEventRepository(Sql sql) {
        this.sql = sql;
    }

    /**
     * One page in seq order (newest first unless {@code ascending}), after the cursor's {@code seq};
     * {@code limit + 1} rows tell whether a next page exists.
     */
    public List<AuditEvent> search(Filter filter, boolean ascending, Long afterSeq, int limit) {
        Where where = new Where(filter);
        if (afterSeq != null) {
            where.add(ascending ? "seq > " : "seq < ", afterSeq);
        }
        where.page(limit + 1, 0);
        return sql.list(COLUMNS + where + " order by seq " + (ascending ? "asc" : "desc") + where.limit(), EVENT,
                where.params());
    }

    /** Newest first, {@code offset} rows skipped: the agent activity endpoint's paging. */
    public List<AuditEvent> page(Filter filter, int offset, int limit) {
        Where where = new Where(filter);
        where.page(limit, offset);
        return sql.list(COLUMNS + where + " order by seq desc" + where.limit(), EVENT, where.params());
    }

    public long count(Filter filter) {
        Where where = new Where(filter);
        return sql.count("select count(*) from audit_event" + where, where.params());
    }

    /** The filter as SQL conditions with numbered parameters; column names are constants, values parameters. */
    private static final class Where {

        private final List<String> conditions = new ArrayList<>();
        private final List<Object> params = new ArrayList<>();

        Where(Filter filter) {
            if (HashChain.PLATFORM.equals(filter.tenantId())) {
                // Events of no tenant (failed logins of unknown clients ...): the platform admin's to read.
                conditions.add("tenant_id is null");
            } else {
                add("tenant_id = ", filter.tenantId());
            }
            add("agent_id = ", filter.agentId());
            add("actor_id = ", filter.actorId());
            add("type = ", filter.type());
            add("outcome = ", filter.outcome());
            add("delegation_id = ", filter.delegationId());
            add("time >= ", filter.from());
            add("time < ", filter.to());
        }

        /** {@code column op} followed by the value's placeholder; nothing when the value is null. */
        void add(String condition, Object value) {
            if (value != null) {
                params.add(value);
                conditions.add(condition + "?" + params.size());
            }
        }

        private String limit = "";

        /** Rows {@code offset + 1} to {@code offset + limit}, as parameters (the statement stays one of a few). */
        void page(int limit, int offset) {
            params.add(limit);
            params.add(offset);
            this.limit = " limit ?" + (params.size() - 1) + " offset ?" + params.size();
        }

        String limit() {
            return limit;
        }

        Object[] params() {
            return params.toArray();
        }

        @Override
        public String toString() {
            return " where " + String.join(" and ", conditions);
        }
    }
}
