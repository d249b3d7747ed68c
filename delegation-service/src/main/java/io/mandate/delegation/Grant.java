package io.mandate.delegation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A delegation grant: a human lends an agent part of its authority, or an agent holding a grant lends
 * part of it onward. Revoked and expired are terminal. A child never exceeds or outlives its parent.
 */
public class Grant {

    public enum Status {
        active, revoked, expired
    }

    public String id;

    public String tenantId;

    /** The human at the root of the chain: the token's {@code sub}. */
    public String userId;

    /** {@code human} for a root grant, {@code agent} for a sub-delegation. */
    public String delegatorType;

    public String delegatorId;

    /** The delegate. */
    public String agentId;

    public String parentId;

    /** 1 for a root grant; a child is its parent's depth + 1. */
    public int depth;

    public int maxDepth;

    /** The grants from the root to this one. */
    public List<String> chainIds;

    /** The delegates from the root grant's to this one's, in the same order as {@link #chainIds}. */
    public List<String> chainAgents;

    public List<String> scopes;

    public String purpose;

    public Status status;

    public Instant createdAt;

    public Instant expiresAt;

    public Instant revokedAt;

    public String revokedBy;

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
