package io.mandate.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A way for an agent to authenticate. Only the keyed hash ({@code verifier}) of an API key is kept. */
@Entity
@Table(name = "credential")
public class Credential {

    public enum Kind {
        api_key, jwk, pgp
    }

    public enum Status {
        active, revoked
    }

    @Id
    public String id;

    @Column(name = "agent_id")
    public String agentId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Enumerated(EnumType.STRING)
    public Kind kind;

    @Column(name = "key_id")
    public String keyId;

    public String verifier;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Set when the key was rotated: it stops working at this instant. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** For public keys: {@code ES256}, {@code EdDSA}, {@code RS256} (JWK) or {@code RSA-3072}, {@code Ed25519} (PGP). */
    public String algorithm;

    /**
     * What tells keys apart in a list: the non-secret start of an API key, the thumbprint of a JWK,
     * the fingerprint of a PGP key.
     */
    public String prefix() {
        return kind == Kind.api_key ? "mnd_sk_" + keyId : keyId;
    }
}
