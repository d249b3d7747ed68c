package io.mandate.delegation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An agent's request for a human's authority; pending until the human approves or denies it, or it expires. */
@Entity
@Table(name = "delegation_request")
public class DelegationRequest {

    public enum Status {
        pending, approved, denied, expired
    }

    @Id
    public String id;

    @Column(name = "tenant_id")
    public String tenantId;

    /** The requesting agent, and the delegate if approved. */
    @Column(name = "agent_id")
    public String agentId;

    /** The human asked. */
    @Column(name = "user_id")
    public String userId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> scopes;

    public String purpose;

    /** The lifetime the grant would have, counted from approval. */
    @Column(name = "grant_seconds")
    public long grantSeconds;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "created_at")
    public Instant createdAt;

    /** When a still-pending request lapses. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "delegation_id")
    public String delegationId;
}
