package io.mandate.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An AI agent: the identity tokens are issued to. Revoked is terminal. */
public class Agent {

    public enum Status {
        active, suspended, revoked
    }

    public enum Tier {
        free, pro, enterprise
    }

    public String id;

    public String tenantId;

    public String name;

    public String ownerEmail;

    public String description;

    public List<String> permissions;

    public Map<String, Object> metadata;

    /** Its OAuth client settings for signing people in, or null. */
    public OAuthClient client;

    public Tier tier;

    public Status status;

    public short trustLevel;

    /** Bumped on every change; consumers keep the newest snapshot they saw. */
    public long version;

    public Instant createdAt;

    public Instant updatedAt;

    public Instant revokedAt;
}
