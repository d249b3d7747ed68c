package io.mandate.delegation.repository;

import io.mandate.api.Page;
import io.mandate.api.TenantRows;
import io.mandate.delegation.Grant;
import io.mandate.sql.Fields;
import io.mandate.sql.Row;
import io.mandate.sql.Sql;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code delegation_grant} rows. */
@Singleton
public class GrantRepository extends TenantRows<Grant> {

    private static final String SELECT = "select " + Fields.columns(Grant.class) + " from delegation_grant";
    private static final Sql.Mapper<Grant> GRANT = Fields.reader(Grant.class);

    /** A grant revoked or expired by a bulk statement, as its event needs it. */
    public record Ended(String id, String tenantId, String userId, String agentId) {
    }

    GrantRepository(Sql sql) {
        super(sql, SELECT, GRANT);
    }

    public void insert(Grant g) {
        sql.insert("delegation_grant", g);
    }

    /** The active grants {@code principal} (agent or human) receives, gives, or stands at the root of. */
    public List<String> findActiveInvolving(String principal) {
        return sql.list("""
                select id from delegation_grant where status = 'active'
                  and (agent_id = ?1 or delegator_id = ?1 or user_id = ?1)""", row -> row.string("id"), principal);
    }

    /** The active grants {@code agentId} receives, and the active root grants {@code userId} lends (either may be null). */
    public List<Grant> findActiveHeldOrLent(String agentId, String userId) {
        return sql.list(SELECT + " where status = 'active' and (agent_id = ?1 or (user_id = ?2 and depth = 1))",
                GRANT, agentId == null ? "" : agentId, userId == null ? "" : userId);
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
            List<Ended> rows = sql.list("""
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
                    select id, tenant_id, user_id, agent_id from revoked order by level, id""",
                    GrantRepository::ended, roots, revokedBy, reason);
            if (rows.isEmpty()) {
                return revoked;
            }
            revoked.addAll(rows);
        }
    }

    /** Marks up to {@code max} active grants past their expiry as expired. */
    public List<Ended> expireDue(Instant now, int max) {
        return sql.list("""
                update delegation_grant set status = 'expired'
                where id in (select id from delegation_grant where status = 'active' and expires_at <= ?1
                             order by expires_at limit ?2 for update skip locked)
                returning id, tenant_id, user_id, agent_id""", GrantRepository::ended, now, max);
    }

    /** Up to {@code limit} of a tenant's grants after {@code after}, newest first; null filters are left out. */
    public List<Grant> list(String tenantId, String userId, String agentId, String involving, Grant.Status status,
            Page.After after, int limit) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("user_id = ?", userId);
        filters.put("agent_id = ?", agentId);
        filters.put("(agent_id = ? or delegator_id = ?)", involving);
        filters.put("status = ?", status);
        return newestFirst(tenantId, filters, after, limit);
    }

    private static Ended ended(Row row) throws SQLException {
        return new Ended(row.string("id"), row.string("tenant_id"), row.string("user_id"), row.string("agent_id"));
    }
}
