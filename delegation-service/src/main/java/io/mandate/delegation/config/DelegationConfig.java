package io.mandate.delegation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

@ConfigMapping(prefix = "mandate.delegation")
public interface DelegationConfig {

    /** The {@code iss} of delegation tokens; token-service trusts exactly this issuer. */
    @WithDefault("http://127.0.0.1:8082")
    String issuer();

    /** Base64 of 32 bytes: seals the delegation-token signing keys at rest (AES-GCM). */
    String keyEncryptionKey();

    /** How often grants and pending requests past their expiry are marked expired (and announced). */
    @WithDefault("5s")
    Duration expirySweepInterval();

    /** Defaults for every tenant, each overridable under {@code mandate.delegation.tenants."ten_x".*}. */
    Tenant defaults();

    Map<String, Tenant> tenants();

    /** What one tenant may have differently. */
    interface Tenant {

        /** The longest lifetime a grant may be given. */
        Optional<Duration> maxExpiry();

        /** How many hops a chain may have when the grant does not say ({@code 1}: no sub-delegation). */
        Optional<Integer> defaultMaxDepth();

        /** The most hops a grant may allow. */
        Optional<Integer> maxDepthLimit();

        /** How long a request waits for the human's decision. */
        Optional<Duration> requestLifetime();
    }

    /** {@code tenantId}'s setting, else the default's (every default is set in application.properties). */
    default <T> T tenant(String tenantId, Function<Tenant, Optional<T>> setting) {
        Tenant own = tenants().get(tenantId);
        Optional<T> value = own == null ? Optional.empty() : setting.apply(own);
        return value.or(() -> setting.apply(defaults())).orElseThrow();
    }
}
