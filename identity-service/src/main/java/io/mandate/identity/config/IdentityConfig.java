package io.mandate.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** identity-service tunables. */
@ConfigMapping(prefix = "mandate.identity")
public interface IdentityConfig {

    /** How long a rotated API key keeps working next to its successor. */
    @WithDefault("24h")
    Duration keyRotationGrace();

    /** Upper bound on active API keys per agent. */
    @WithDefault("10")
    int maxApiKeys();

    /** Upper bound on permissions per agent. */
    @WithDefault("200")
    int maxPermissions();

    /** token-service's sign-up page, which invitation links open. */
    String signupUrl();

    /** How long an invitation link works unless the admin says otherwise (at most 30 days). */
    @WithDefault("7d")
    Duration invitationLifetime();

    /** What a tenant allows beyond the defaults, under {@code mandate.identity.tenants."ten_x".*}. */
    Map<String, Tenant> tenants();

    interface Tenant {

        /** Whether anyone may sign up to the tenant without an invitation (off by default). */
        @WithDefault("false")
        boolean openSignup();

        /** The roles and permissions an open sign-up gets (none by default: such a person can only sign in). */
        Optional<List<String>> signupRoles();

        Optional<List<String>> signupPermissions();
    }
}
