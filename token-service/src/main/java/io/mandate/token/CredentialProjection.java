package io.mandate.token;

import java.time.Instant;

/** A credential verifier (keyed hash, never the secret), kept from the internal credentials topic. */
public class CredentialProjection {

    public String keyId;

    public String credentialId;

    public String agentId;

    public String tenantId;

    /** {@code api_key}, {@code jwk} or {@code pgp}. */
    public String kind;

    public String verifier;

    public String status;

    public Instant updatedAt;

    /** End of a rotated key's grace period, or null. */
    public Instant expiresAt;

    public boolean isActive() {
        return "active".equals(status);
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
