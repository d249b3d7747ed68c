package io.mandate.token.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** token-service tunables. */
@ConfigMapping(prefix = "mandate.token")
public interface TokenConfig {

    /** The {@code iss} of every token and the base of the discovery document's URLs. */
    @WithDefault("http://127.0.0.1:8080")
    String issuer();

    /** {@code aud} when the request names no resource (RFC 9068 requires one). */
    @WithDefault("mandate")
    String defaultAudience();

    @WithDefault("15m")
    Duration accessTokenLifetime();

    /** How long JWKS responses may be cached by resource servers. */
    @WithDefault("5m")
    Duration jwksMaxAge();

    /** AES-256 key (base64) that seals the signing keys' private parts at rest. */
    String keyEncryptionKey();

    /**
     * How long a token request for a credential the projection has not seen yet waits for it (an
     * agent asking for a token right after registration).
     */
    @WithDefault("3s")
    Duration projectionMissWait();

    /** Lifetime of the token a human gets from {@code POST /v1/auth/login}. */
    @WithDefault("6h")
    Duration humanTokenLifetime();

    /** Consecutive failed logins for one username before it is locked. */
    @WithDefault("5")
    int loginMaxFailures();

    /** How long a username stays locked after too many failed logins. */
    @WithDefault("15m")
    Duration loginLockout();
}
