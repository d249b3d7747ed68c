package io.mandate.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An AI agent: the identity tokens are issued to. Revoked is terminal. */
@Entity
@Table(name = "agent")
public class Agent {

    public enum Status {
        active, suspended, revoked
    }

    public enum Tier {
        free, pro, enterprise
    }

    @Id
    public String id;

    @Column(name = "tenant_id")
    public String tenantId;

    public String name;

    @Column(name = "owner_email")
    public String ownerEmail;

    public String description;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> permissions;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;

    @Enumerated(EnumType.STRING)
    public Tier tier;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "trust_level")
    public short trustLevel;

    /** Bumped on every change; consumers keep the newest snapshot they saw. */
    @Version
    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
