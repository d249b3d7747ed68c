package io.mandate.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** What token-service knows of an agent, kept from identity-service's events. */
@Entity
@Table(name = "agent_projection")
public class AgentProjection {

    @Id
    @Column(name = "agent_id")
    public String agentId;

    @Column(name = "tenant_id")
    public String tenantId;

    public String status;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> permissions;

    public String tier;

    @Column(name = "trust_level")
    public short trustLevel;

    public long version;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public boolean isActive() {
        return "active".equals(status);
    }
}
