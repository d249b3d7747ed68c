package io.mandate.auth;

import java.util.Optional;

/**
 * The service's view of human accounts, where it has one: identity-service answers from its own
 * tables. Without it, enterprise-IdP tokens are refused and human tokens are trusted until expiry.
 */
public interface HumanDirectory {

    /** The Mandate account an enterprise IdP identity maps to: by subject first, then by email. */
    Optional<Caller> external(String tenantId, String subject, String email);

    /** Whether the account still exists and is not disabled. */
    boolean isActive(String tenantId, String userId);
}
