package io.mandate.delegation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A delegation grant: a human lends an agent part of its authority, or an agent holding a grant lends
 * part of it onward. Revoked and expired are terminal. A child never exceeds or outlives its parent.
 */
@Entity
@Table(name = "delegation_grant")
public class Grant {

    public enum Status {
        active, revoked, expired
    }

    @Id
    public String id;

    @Column(name = "tenant_id")
    public String tenantId;

    /** The human at the root of the chain: the token's {@code sub}. */
    @Column(name = "user_id")
    public String userId;

    /** {@code human} for a root grant, {@code agent} for a sub-delegation. */
    @Column(name = "delegator_type")
    public String delegatorType;

    @Column(name = "delegator_id")
    public String delegatorId;

    /** The delegate. */
    @Column(name = "agent_id")
    public String agentId;

    @Column(name = "parent_id")
    public String parentId;

    /** 1 for a root grant; a child is its parent's depth + 1. */
    public int depth;

    @Column(name = "max_depth")
    public int maxDepth;

    /** The grants from the root to this one. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "chain_ids")
    public List<String> chainIds;

    /** The delegates from the root grant's to this one's, in the same order as {@link #chainIds}. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "chain_agents")
    public List<String> chainAgents;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> scopes;

    public String purpose;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    @Column(name = "revoked_reason")
    public String revokedReason;

    public boolean isRoot() {
        return parentId == null;
    }

    /** Active and not yet past its expiry (the sweep may not have marked it yet). */
    public boolean isLive(Instant now) {
        return status == Status.active && expiresAt.isAfter(now);
    }

    /** One hop of the chain: a grant and its delegate. */
    public record Link(String delegationId, String agentId) {
    }

    /** The hops from the root grant to this one. */
    public List<Link> chain() {
        List<Link> chain = new ArrayList<>();
        for (int i = 0; i < chainIds.size(); i++) {
            chain.add(new Link(chainIds.get(i), chainAgents.get(i)));
        }
        return chain;
    }

    /** {@code list} with {@code last} appended: a child's chain columns from its parent's. */
    public static List<String> appended(List<String> list, String last) {
        List<String> longer = new ArrayList<>(list);
        longer.add(last);
        return longer;
    }
}
