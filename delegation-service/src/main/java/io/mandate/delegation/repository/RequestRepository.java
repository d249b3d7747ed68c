package io.mandate.delegation.repository;

import io.mandate.api.Page;
import io.mandate.api.TenantRows;
import io.mandate.delegation.DelegationRequest;
import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code delegation_request} rows. */
@Singleton
public class RequestRepository extends TenantRows<DelegationRequest> {

    private static final String SELECT = "select " + Fields.columns(DelegationRequest.class) + " from delegation_request";

    /** A pending request that lapsed, as its event needs it. */
    public record Lapsed(String id, String tenantId, String agentId, String userId) {
    }

    RequestRepository(Sql sql) {
        super(sql, SELECT, Fields.reader(DelegationRequest.class));
    }

    public void insert(DelegationRequest r) {
        sql.insert("delegation_request", r);
    }

    /** Stores the decision on a request: its status, when, by whom, and the grant it made. */
    public void saveDecision(DelegationRequest r) {
        sql.update("update delegation_request set status = ?2, decided_at = ?3, decided_by = ?4, delegation_id = ?5"
                + " where id = ?1",
                r.id, r.status, r.decidedAt, r.decidedBy, r.delegationId);
    }

    /** Marks up to {@code max} pending requests past their expiry as expired. */
    public List<Lapsed> expireDue(Instant now, int max) {
        return sql.list("""
                update delegation_request set status = 'expired'
                where id in (select id from delegation_request where status = 'pending' and expires_at <= ?1
                             order by expires_at limit ?2 for update skip locked)
                returning id, tenant_id, agent_id, user_id""",
                row -> new Lapsed(row.string("id"), row.string("tenant_id"), row.string("agent_id"), row.string("user_id")),
                now, max);
    }

    /** Up to {@code limit} of a tenant's requests after {@code after}, newest first; null filters are left out. */
    public List<DelegationRequest> list(String tenantId, String userId, String agentId, DelegationRequest.Status status,
            Page.After after, int limit) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("user_id = ?", userId);
        filters.put("agent_id = ?", agentId);
        filters.put("status = ?", status);
        return newestFirst(tenantId, filters, after, limit);
    }
}
