package io.mandate.auth;

import java.util.Optional;

/**
 * The service's view of human accounts: identity-service answers from its own tables, the other
 * services from their projection of identity's events ({@link KnownHumans}). A human's roles and
 * email are read here on every request, never taken from a token that may be hours old.
 */
public interface HumanDirectory {

    /** The Mandate account an enterprise IdP identity maps to: by subject first, then by email. */
    Optional<Caller> external(String tenantId, String subject, String email);

    /**
     * {@code claimed} (a human as its token describes it) with the roles and email its account has now;
     * empty when the account is disabled, gone, or of another tenant.
     */
    Optional<Caller> current(Caller claimed);
}
