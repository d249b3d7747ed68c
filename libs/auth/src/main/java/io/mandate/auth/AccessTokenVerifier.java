package io.mandate.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.ProblemException;
import io.mandate.jose.ClientSignatures;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Checks an access token of token-service for Mandate's own APIs (RFC 9068 §4): {@code typ at+jwt},
 * a signature by a key token-service publishes, its {@code iss}, the Mandate audience, {@code exp},
 * {@code nbf} and {@code iat}. Keys are fetched from the JWKS URL and kept for
 * {@code mandate.auth.jwks-cache-lifetime}; an unknown {@code kid} fetches them again, at most once a second.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    /** Ours are under 2 KiB; anything far larger is refused before parsing. */
    static final int MAX_TOKEN_CHARS = 8192;
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final Duration MIN_REFETCH = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(AccessTokenVerifier.class);

    private final AuthConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private volatile Keys keys = new Keys(new JWKSet(), Instant.EPOCH, Instant.EPOCH);

    private record Keys(JWKSet set, Instant fetchedAt, Instant attemptedAt) {
    }

    AccessTokenVerifier(AuthConfig config) {
        this.config = config;
    }

    /** The unverified {@code iss} of what looks like a JWT, to tell token-service's tokens from an IdP's. */
    static Optional<String> issuerOf(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(SignedJWT.parse(token).getJWTClaimsSet().getIssuer());
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The claims of a token fit for Mandate's APIs, presented with {@code scheme} ({@code Bearer} or
     * {@code DPoP}, for the challenge of a refusal). Blocks when the keys must be fetched.
     *
     * @throws io.quarkus.security.AuthenticationFailedException saying what is wrong, in words safe to show to the client
     */
    public JWTClaimsSet verify(String token, String scheme) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw BadAccessTokens.invalidToken(scheme, "the access token is too large");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw BadAccessTokens.invalidToken(scheme, "the access token is not a signed JWT");
        }
        if (!AT_JWT.equals(jwt.getHeader().getType())) {
            throw BadAccessTokens.invalidToken(scheme, "the access token's typ must be at+jwt");
        }
        if (!config.issuer().equals(claims.getIssuer())) {
            throw BadAccessTokens.invalidToken(scheme, "the access token is from another issuer");
        }
        JWK key = key(jwt.getHeader().getKeyID());
        if (key == null || !ClientSignatures.verify(jwt, key)) {
            throw BadAccessTokens.invalidToken(scheme, "the access token's signature does not verify");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(config.audience())) {
            throw BadAccessTokens.invalidToken(scheme, "the access token is not meant for Mandate's APIs");
        }
        Instant now = Instant.now();
        if (claims.getExpirationTime() == null
                || !now.minus(config.clockSkew()).isBefore(claims.getExpirationTime().toInstant())) {
            throw BadAccessTokens.invalidToken(scheme, "the access token has expired");
        }
        if (claims.getIssueTime() == null || claims.getSubject() == null || claims.getJWTID() == null) {
            throw BadAccessTokens.invalidToken(scheme, "the access token lacks iat, sub or jti");
        }
        if (claims.getNotBeforeTime() != null
                && now.plus(config.clockSkew()).isBefore(claims.getNotBeforeTime().toInstant())) {
            throw BadAccessTokens.invalidToken(scheme, "the access token is not valid yet");
        }
        return claims;
    }

    /** The {@code cnf.jkt} a token is bound to (RFC 9449 §6.1), or null for a bearer token. */
    static String boundThumbprint(JWTClaimsSet claims) {
        return claims.getClaim("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") instanceof String jkt ? jkt : null;
    }

    private JWK key(String kid) {
        Keys current = keys;
        Instant now = Instant.now();
        boolean stale = current.fetchedAt().plus(config.jwksCacheLifetime()).isBefore(now);
        boolean unknown = kid == null || current.set().getKeyByKeyId(kid) == null;
        if ((stale || unknown) && current.attemptedAt().plus(MIN_REFETCH).isBefore(now)) {
            current = refresh(current);
        }
        return kid == null ? null : current.set().getKeyByKeyId(kid);
    }

    /** Fetches the keys unless another thread just did; on failure keeps the old ones (token-service may be restarting). */
    private synchronized Keys refresh(Keys seen) {
        if (keys != seen) {
            return keys;
        }
        Instant now = Instant.now();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(config.jwksUrl()))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            keys = new Keys(JWKSet.parse(response.body()), now, now);
        } catch (IOException | ParseException e) {
            LOG.warnf("signing keys could not be fetched from %s: %s", config.jwksUrl(), e.getMessage());
            keys = new Keys(seen.set(), seen.fetchedAt(), now);
            if (seen.set().isEmpty()) {
                throw ProblemException.unavailable("the signing keys of token-service cannot be fetched");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted while fetching signing keys");
        }
        return keys;
    }
}
