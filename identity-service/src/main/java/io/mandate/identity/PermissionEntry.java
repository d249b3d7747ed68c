package io.mandate.identity;

import java.time.Instant;
import java.util.List;

/** One entry of a tenant's permission catalogue, with the permissions it implies. */
public class PermissionEntry {

    public record Key(String tenantId, String permission) {
    }

    public Key key;

    public String description;

    public List<String> implies = List.of();

    public Instant createdAt;

    public Instant updatedAt;
}
