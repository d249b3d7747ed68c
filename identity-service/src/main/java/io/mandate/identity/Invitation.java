package io.mandate.identity;

import java.time.Instant;
import java.util.List;

/** An invitation to sign up to a tenant: whom it invites (an email, or whoever has the link) to what. */
public record Invitation(String id, String tenantId, String email, List<String> roles, List<String> permissions,
        Instant createdAt, Instant expiresAt, Instant acceptedAt, String acceptedUserId, Instant revokedAt) {
}
