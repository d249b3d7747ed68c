package io.mandate.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "mandate.auth")
public interface AuthConfig {

    /** The tenant the platform admin acts in when a request names none. */
    @WithDefault("ten_default")
    String defaultTenantId();

    /** The tenant whose humans sign in through the enterprise IdP (quarkus-oidc tenant {@code external}). */
    Optional<String> externalTenantId();

    /** The {@code iss} of token-service's tokens; defaults to token-service's URL. */
    String issuer();

    /** Where token-service publishes its signing keys; defaults to its {@code /.well-known/jwks.json}. */
    String jwksUrl();

    /** The {@code aud} a token must name to be accepted by Mandate's own APIs (token-service's default audience). */
    @WithDefault("mandate")
    String audience();

    /** How long fetched signing keys are trusted before they are fetched again (a disabled key ends then). */
    @WithDefault("60s")
    Duration jwksCacheLifetime();

    /** Tolerated clock difference for {@code exp}, {@code nbf} and DPoP {@code iat}. */
    @WithDefault("30s")
    Duration clockSkew();

    /** How old a DPoP proof may be (RFC 9449 §11.1). */
    @WithDefault("60s")
    Duration dpopProofMaxAge();
}
