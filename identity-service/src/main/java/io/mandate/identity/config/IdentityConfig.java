package io.mandate.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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
}
