package io.mandate.delegation.repository;

import io.mandate.api.Page;
import io.mandate.delegation.DelegationRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class RequestRepository implements TenantRows<DelegationRequest> {

    /** A pending request that lapsed, as its event needs it. */
    public record Lapsed(String id, String tenantId, String agentId, String userId) {
    }

    /** Marks up to {@code max} pending requests past their expiry as expired. */
    public List<Lapsed> expireDue(Instant now, int max) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                update delegation_request set status = 'expired'
                where id in (select id from delegation_request where status = 'pending' and expires_at <= ?1
                             order by expires_at limit ?2 for update skip locked)
                returning id, tenant_id, agent_id, user_id""")
                .setParameter(1, now).setParameter(2, max).getResultList();
        return rows.stream().map(r -> new Lapsed((String) r[0], (String) r[1], (String) r[2], (String) r[3])).toList();
    }

    /** Up to {@code limit} of a tenant's requests after {@code after}, newest first; null filters are left out. */
    public List<DelegationRequest> list(String tenantId, String userId, String agentId, DelegationRequest.Status status,
            Page.After after, int limit) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("userId = ?", userId);
        filters.put("agentId = ?", agentId);
        filters.put("status = ?", status);
        return NewestFirst.rows(this, tenantId, filters, after, limit);
    }
}
