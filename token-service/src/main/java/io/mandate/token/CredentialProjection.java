package io.mandate.token;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A credential verifier (keyed hash, never the secret), kept from the internal credentials topic. */
@Entity
@Table(name = "credential_projection")
public class CredentialProjection {

    @Id
    @Column(name = "key_id")
    public String keyId;

    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "agent_id")
    public String agentId;

    @Column(name = "tenant_id")
    public String tenantId;

    /** {@code api_key}, {@code jwk} or {@code pgp}. */
    public String kind;

    public String verifier;

    public String status;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** End of a rotated key's grace period, or null. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    public boolean isActive() {
        return "active".equals(status);
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
