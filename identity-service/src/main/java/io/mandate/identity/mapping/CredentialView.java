package io.mandate.identity.mapping;

import io.mandate.identity.Credential;
import java.time.Instant;

/**
 * A credential as listed: its prefix (or public-key thumbprint/fingerprint) and state, never a secret
 * or its hash.
 */
public record CredentialView(String id, String kind, String prefix, String algorithm, String status,
        Instant createdAt, Instant revokedAt, Instant expiresAt) {

    public static CredentialView of(Credential credential) {
        return new CredentialView(credential.id, credential.kind.name(), credential.prefix(), credential.algorithm,
                credential.status.name(), credential.createdAt, credential.revokedAt, credential.expiresAt);
    }
}
