package io.mandate.identity;

import java.time.Instant;

/** A way for an agent to authenticate. Only the keyed hash ({@code verifier}) of an API key is kept. */
public class Credential {

    public enum Kind {
        api_key, jwk, pgp
    }

    public enum Status {
        active, revoked
    }

    public String id;

    public String agentId;

    public String tenantId;

    public Kind kind;

    public String keyId;

    public String verifier;

    public Status status;

    public Instant createdAt;

    public Instant revokedAt;

    /** Set when the key was rotated: it stops working at this instant. */
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
