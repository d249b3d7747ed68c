package io.mandate.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

@ConfigMapping(prefix = "mandate.auth")
public interface AuthConfig {

    /** The tenant the platform admin acts in when a request names none. */
    @WithDefault("ten_default")
    String defaultTenantId();

    /** The tenant whose humans sign in through the enterprise IdP (quarkus-oidc tenant {@code external}). */
    Optional<String> externalTenantId();
}
