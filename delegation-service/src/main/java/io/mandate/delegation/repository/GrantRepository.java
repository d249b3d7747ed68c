package io.mandate.delegation.repository;

import io.mandate.api.Page;
import io.mandate.delegation.Grant;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class GrantRepository implements TenantRows<Grant> {

    /** A grant revoked or expired by a bulk statement, as its event needs it. */
    public record Ended(String id, String tenantId, String userId, String agentId) {
    }

    /** The active grants {@code principal} (agent or human) receives, gives, or stands at the root of. */
    public List<String> findActiveInvolving(String principal) {
        return getEntityManager().createQuery("""
                select g.id from Grant g where g.status = io.mandate.delegation.Grant.Status.active
                  and (g.agentId = ?1 or g.delegatorId = ?1 or g.userId = ?1)""", String.class)
                .setParameter(1, principal).getResultList();
    }

    /** The active grants {@code agentId} receives, and the active root grants {@code userId} lends (either may be null). */
    public List<Grant> findActiveHeldOrLent(String agentId, String userId) {
        return getEntityManager().createQuery("""
                select g from Grant g where g.status = io.mandate.delegation.Grant.Status.active
                  and (g.agentId = ?1 or (g.userId = ?2 and g.depth = 1))""", Grant.class)
                .setParameter(1, agentId == null ? "" : agentId).setParameter(2, userId == null ? "" : userId)
                .getResultList();
    }

    /**
     * Revokes the given grants and every active descendant, in the caller's transaction. Each
     * statement waits for transactions that are creating a child under a grant it revokes, and the
     * next statement (a new snapshot) then sees and revokes that child too; so no child created
     * concurrently survives. Returns what was revoked, roots first.
     */
    public List<Ended> revokeTrees(List<String> roots, String revokedBy, String reason) {
        List<Ended> revoked = new ArrayList<>();
        while (true) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = getEntityManager().createNativeQuery("""
                    with recursive tree (id, level) as (
                        select id, 0 from delegation_grant where id = any(?1)
                        union all
                        select g.id, t.level + 1 from delegation_grant g join tree t on g.parent_id = t.id
                    ), revoked as (
                        update delegation_grant g set status = 'revoked', revoked_at = now(), revoked_by = ?2,
                            revoked_reason = ?3
                        from tree where g.id = tree.id and g.status = 'active'
                        returning g.id, g.tenant_id, g.user_id, g.agent_id, tree.level
                    )
                    select id, tenant_id, user_id, agent_id from revoked order by level, id""")
                    .setParameter(1, roots.toArray(String[]::new)).setParameter(2, revokedBy).setParameter(3, reason)
                    .getResultList();
            if (rows.isEmpty()) {
                return revoked;
            }
            rows.forEach(r -> revoked.add(new Ended((String) r[0], (String) r[1], (String) r[2], (String) r[3])));
        }
    }

    /** Marks up to {@code max} active grants past their expiry as expired. */
    public List<Ended> expireDue(Instant now, int max) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                update delegation_grant set status = 'expired'
                where id in (select id from delegation_grant where status = 'active' and expires_at <= ?1
                             order by expires_at limit ?2 for update skip locked)
                returning id, tenant_id, user_id, agent_id""")
                .setParameter(1, now).setParameter(2, max).getResultList();
        return rows.stream().map(r -> new Ended((String) r[0], (String) r[1], (String) r[2], (String) r[3])).toList();
    }

    /** Up to {@code limit} of a tenant's grants after {@code after}, newest first; null filters are left out. */
    public List<Grant> list(String tenantId, String userId, String agentId, String involving, Grant.Status status,
            Page.After after, int limit) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("userId = ?", userId);
        filters.put("agentId = ?", agentId);
        filters.put("(agentId = ? or delegatorId = ?)", involving);
        filters.put("status = ?", status);
        return NewestFirst.rows(this, tenantId, filters, after, limit);
    }
}
