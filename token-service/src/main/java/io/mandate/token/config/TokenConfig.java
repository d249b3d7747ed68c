package io.mandate.token.config;

import com.nimbusds.jose.JWSAlgorithm;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** Where delegation tokens come from: token exchange (RFC 8693) accepts only this issuer's, checked with its keys. */
    Delegation delegation();

    interface Delegation {

        /** delegation-service's API, where the pages make and revoke grants for the person signed in. */
        @WithDefault("http://127.0.0.1:8082")
        String url();

        /** delegation-service's {@code iss}. */
        @WithDefault("http://127.0.0.1:8082")
        String issuer();

        /** Its JWKS; fetched when a token names a key not seen yet, at most once per {@link #keysRefreshMinInterval()}. */
        @WithDefault("http://127.0.0.1:8082/.well-known/delegation-keys")
        String keysUrl();

        @WithDefault("5s")
        Duration keysRefreshMinInterval();

        /** The fetch is a fallback off the hot path: bounded. */
        @WithDefault("2s")
        Duration keysTimeout();
    }

    /** identity-service, where token-service registers the clients that identify themselves by a metadata document. */
    Identity identity();

    interface Identity {

        @WithDefault("http://127.0.0.1:8081")
        String url();
    }

    /** People in the browser: sign-in sessions, authorization requests and codes. */
    Browser browser();

    /**
     * The enterprise IdP the sign-in page offers (OpenID Connect, authorization code with PKCE): off unless
     * {@code issuer} is set. The people it vouches for sign in to accounts of {@code tenant-id}.
     */
    Idp idp();

    interface Idp {

        /** Its issuer; its discovery document is read from {@code <issuer>/.well-known/openid-configuration}. */
        Optional<String> issuer();

        /** Mandate's client at the IdP (its redirect URI: {@code <mandate.token.issuer>/signin/idp/callback}). */
        Optional<String> clientId();

        Optional<String> clientSecret();

        /** What the button says: "Sign in with ..." */
        @WithDefault("your organisation")
        String name();

        @WithDefault("ten_default")
        String tenantId();

        @WithDefault("openid email profile")
        String scope();
    }

    interface Browser {

        /** How long a sign-in lasts (cookie {@code mandate_session}). */
        @WithDefault("8h")
        Duration sessionLifetime();

        /** How long an authorization request waits for the person to sign in and consent. */
        @WithDefault("10m")
        Duration requestLifetime();

        /** How long a pushed authorization request (RFC 9126) may be used. */
        @WithDefault("60s")
        Duration pushedRequestLifetime();

        /** How long an authorization code may be exchanged. */
        @WithDefault("60s")
        Duration codeLifetime();

        /** How often an agent may poll for a CIBA request's token; polling faster is {@code slow_down}. */
        @WithDefault("5s")
        Duration backchannelPollInterval();

        /** How long the grant a person approves through CIBA lasts (they may choose shorter). */
        @WithDefault("1h")
        Duration backchannelGrantLifetime();

        /** How long the command line's device sign-in waits for the person at {@code /device}. */
        @WithDefault("10m")
        Duration deviceLifetime();

        /** How often the command line may poll for it; polling faster is {@code slow_down}. */
        @WithDefault("5s")
        Duration devicePollInterval();
    }

    /** Fetching Client ID Metadata Documents: clients whose {@code client_id} is an https URL. */
    ClientMetadata clientMetadata();

    interface ClientMetadata {

        /** Whether documents on loopback addresses may be fetched: development and tests only. */
        @WithDefault("false")
        boolean allowLoopback();

        /** How long one fetch may take, from connecting to the last byte. */
        @WithDefault("5s")
        Duration timeout();

        /** The largest document accepted. */
        @WithDefault("5120")
        int maxBytes();

        /** How long a document is kept when its answer says nothing; what it says is kept within the bounds below. */
        @WithDefault("5m")
        Duration defaultCacheLifetime();

        @WithDefault("1m")
        Duration minCacheLifetime();

        @WithDefault("24h")
        Duration maxCacheLifetime();

        /** How long a refusal (unreachable, too slow, too large, invalid) stands before the URL is fetched again. */
        @WithDefault("1m")
        Duration failureCacheLifetime();

        /** A PEM file of certificates to trust instead of the JDK's (a private CA); the JDK's when absent. */
        Optional<String> trustCertificates();
    }

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

    /** Failed logins in a row for one username from one client address before each next one waits longer. */
    @WithDefault("5")
    int loginMaxFailures();

    /** The longest a client address waits before its next login attempt (for one username, or any). */
    @WithDefault("15m")
    Duration loginLockout();

    /** Lifetime of a refresh token; every use rotates it and starts a new one. */
    @WithDefault("30d")
    Duration refreshTokenLifetime();

    /** Longest a {@code private_key_jwt} assertion may live ({@code exp - iat}, and {@code exp} from now). */
    @WithDefault("5m")
    Duration clientAssertionMaxLifetime();

    /** Clock skew tolerated on client assertions and DPoP proofs. */
    @WithDefault("30s")
    Duration clockSkew();

    /** How far in the past a DPoP proof's {@code iat} may lie. */
    @WithDefault("60s")
    Duration dpopProofMaxAge();

    /** Require a server-provided DPoP nonce (RFC 9449 §8) in every proof. */
    @WithDefault("false")
    boolean dpopRequireNonce();

    /** Token requests per minute per agent by tier ({@code free}, {@code pro}, {@code enterprise}), per replica. */
    Map<String, Integer> rateLimits();

    /** Defaults for every tenant, each overridable under {@code mandate.token.tenants."ten_x".*}. */
    Tenant defaults();

    Map<String, Tenant> tenants();

    /** What one tenant may have differently. */
    interface Tenant {

        /** Audiences a token may be asked for with {@code resource} or {@code audience} (RFC 8707). */
        Optional<List<String>> allowedAudiences();

        /** Whether the OAuth {@code client_credentials} grant also returns a refresh token (RFC 6749 §4.4.3: off). */
        Optional<Boolean> clientCredentialsRefreshTokens();

        /** {@code ES256} (the default), {@code EdDSA} or {@code RS256}. */
        Optional<String> signingAlgorithm();

        /**
         * Whether a token waits for Kafka to acknowledge its {@code agent.verified} (the default, true);
         * false returns it as soon as the event is handed to the producer, which sends it after.
         */
        Optional<Boolean> verifiedEventAcknowledged();

        /**
         * Which clients may present an https URL as their {@code client_id} (a Client ID Metadata Document):
         * {@code any} (the default: the consent page warns that nobody vouched for the client), {@code listed}
         * (only from {@link #clientMetadataHosts}) or {@code off}.
         */
        Optional<String> clientMetadataDocuments();

        /** The hosts whose metadata documents need no warning (and, for {@code listed}, the only ones allowed). */
        Optional<List<String>> clientMetadataHosts();

        /**
         * The claims the tenant's tokens carry beyond RFC 9068's ({@code agent_id}, {@code scopes},
         * {@code fingerprint}, {@code metadata.<key>}); none by default. A registered resource's own profile
         * replaces it for tokens aimed at that resource.
         */
        Optional<List<String>> claims();

        /**
         * Dynamic Client Registration (RFC 7591) into this tenant: {@code off} (the default), {@code open},
         * {@code initial-access-token} (only with the token whose SHA-256 is {@link #registrationTokenSha256}) or
         * {@code allow-list} (only redirect URIs on {@link #registrationAllowedHosts}).
         */
        Optional<String> dynamicRegistration();

        /** Hex SHA-256 of the tenant's initial access token: a registration presenting it goes to this tenant. */
        Optional<String> registrationTokenSha256();

        Optional<List<String>> registrationAllowedHosts();

        /**
         * Agents onboarding themselves with an OpenPGP key (SWARM, {@code /v1/auth/pgp/register}): {@code off}
         * (the default) or {@code open}.
         */
        Optional<String> agentSelfRegistration();

        /** The permissions such an agent gets (each must exist in the tenant); none by default. */
        Optional<List<String>> selfRegisteredPermissions();
    }

    /** Self-registration: clients (RFC 7591, {@code /oauth2/register}) and agents ({@code /v1/auth/pgp/register}). */
    Registration registration();

    interface Registration {

        /** Where a registration that names no tenant goes (its policy must allow it); none by default. */
        Optional<String> defaultTenant();

        /** Registrations per minute from one client address, per replica. */
        @WithDefault("10")
        int perMinute();
    }

    /** How long a key signs before a successor is scheduled. */
    @WithDefault("30d")
    Duration keyRotationInterval();

    /** How often each replica reloads the keys (and one of them does the rotation duties). */
    @WithDefault("30s")
    Duration keyRefreshInterval();

    /** The algorithm {@code tenantId}'s tokens are signed with; null for the default (human tokens). */
    default JWSAlgorithm signingAlgorithm(String tenantId) {
        return tenant(tenantId, Tenant::signingAlgorithm).map(JWSAlgorithm::parse).orElse(JWSAlgorithm.ES256);
    }

    /** {@code tenant}'s setting, else the default's. */
    default <T> Optional<T> tenant(String tenantId, java.util.function.Function<Tenant, Optional<T>> setting) {
        Tenant own = tenantId == null ? null : tenants().get(tenantId);
        Optional<T> value = own == null ? Optional.empty() : setting.apply(own);
        return value.isPresent() ? value : setting.apply(defaults());
    }
}
