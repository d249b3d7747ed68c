package io.mandate.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** identity-service tunables. */
@ConfigMapping(prefix = "mandate.identity")
public interface IdentityConfig {

    /** The tenant the bootstrap admin works in until tenants are managed (issue #3). */
    @WithDefault("ten_default")
    String defaultTenantId();

    /** Upper bound on permissions per agent. */
    @WithDefault("200")
    int maxPermissions();
}
