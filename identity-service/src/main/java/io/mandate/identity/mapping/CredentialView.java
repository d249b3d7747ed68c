package io.mandate.identity.mapping;

import io.mandate.identity.Credential;
import java.time.Instant;

/** A credential as listed: its prefix and state, never the secret or its hash. */
public record CredentialView(String id, String kind, String prefix, String status, Instant createdAt,
        Instant revokedAt, Instant expiresAt) {

    public static CredentialView of(Credential credential) {
        return new CredentialView(credential.id, credential.kind.name(), credential.prefix(), credential.status.name(),
                credential.createdAt, credential.revokedAt, credential.expiresAt);
    }
}
