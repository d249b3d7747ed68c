package io.mandate.token.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A signing key as Keycloak models it: ACTIVE keys may sign (highest priority, then the most recently
 * activated, wins) once {@code activatesAt} has passed, PASSIVE keys only verify (still published in
 * JWKS), DISABLED keys are neither.
 */
@Entity
@Table(name = "signing_key")
public class SigningKey {

    public enum Status {
        ACTIVE, PASSIVE, DISABLED
    }

    @Id
    public String kid;

    public String alg;

    @Enumerated(EnumType.STRING)
    public Status status;

    public int priority;

    /** The public JWK, as published in JWKS. */
    @Column(name = "public_jwk")
    public String publicJwk;

    /** The private JWK, sealed with AES-GCM under the key-encryption key (context: the kid). */
    @Column(name = "private_key")
    public byte[] privateKey;

    @Column(name = "created_at")
    public Instant createdAt;

    /** When it starts signing; before that it is only published, so that caches have it in time. */
    @Column(name = "activates_at")
    public Instant activatesAt;

    /** When a newer key took over and this one became PASSIVE. */
    @Column(name = "retired_at")
    public Instant retiredAt;
}
