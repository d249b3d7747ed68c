package io.mandate.token;

import java.time.Instant;
import java.util.List;

/** What token-service knows of an agent, kept from identity-service's events. */
public class AgentProjection {

    public String agentId;

    public String tenantId;

    public String status;

    public List<String> permissions;

    public String tier;

    public short trustLevel;

    public long version;

    public Instant updatedAt;

    public boolean isActive() {
        return "active".equals(status);
    }
}
