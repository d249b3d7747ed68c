package io.mandate.identity;

import java.time.Instant;

/** One entry of a tenant's permission catalogue. */
public class PermissionEntry {

    public record Key(String tenantId, String permission) {
    }

    public Key key;

    public String description;

    public Instant createdAt;
}
