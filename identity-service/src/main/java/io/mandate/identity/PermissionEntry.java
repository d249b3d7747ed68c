package io.mandate.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One entry of a tenant's permission catalogue. */
@Entity
@Table(name = "permission_entry")
public class PermissionEntry {

    @Embeddable
    public record Key(@Column(name = "tenant_id") String tenantId, String permission) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    public String description;

    @Column(name = "created_at")
    public Instant createdAt;
}
