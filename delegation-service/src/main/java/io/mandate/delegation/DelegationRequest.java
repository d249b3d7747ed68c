package io.mandate.delegation;

import java.time.Instant;
import java.util.List;

/** An agent's request for a human's authority; pending until the human approves or denies it, or it expires. */
public class DelegationRequest {

    public enum Status {
        pending, approved, denied, expired
    }

    public String id;

    public String tenantId;

    /** The requesting agent, and the delegate if approved. */
    public String agentId;

    /** The human asked. */
    public String userId;

    public List<String> scopes;

    public String purpose;

    /** The lifetime the grant would have, counted from approval. */
    public long grantSeconds;

    public Status status;

    public Instant createdAt;

    /** When a still-pending request lapses. */
    public Instant expiresAt;

    public Instant decidedAt;

    public String decidedBy;

    public String delegationId;

    /** RFC 9396 authorization details asked for (a JSON array), or null. */
    public String authorizationDetails;
}
