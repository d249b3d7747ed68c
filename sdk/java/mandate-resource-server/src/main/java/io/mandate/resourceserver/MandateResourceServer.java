package io.mandate.resourceserver;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.jose.ClientSignatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Accepts Mandate access tokens at an API (RFC 9068, RFC 9449): the signature by a key Mandate publishes, {@code typ
 * at+jwt}, the issuer, this API as the audience, the lifetime, and for a bound token a DPoP proof of its key made for
 * this request. Each refusal says why, in words safe to return. Framework-free; the JAX-RS and Servlet filters
 * wrap it.
 */
public final class MandateResourceServer {

    /** Mandate's tokens are under 2 KiB; anything far larger is refused before parsing. */
    public static final int MAX_TOKEN_CHARS = 8192;
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final JOSEObjectType APPLICATION_AT_JWT = new JOSEObjectType("application/at+jwt");

    private final String issuer;
    private final String audience;
    private final JwksCache keys;
    private final DpopGuard dpop;
    private final boolean requireDpop;
    private final Duration skew;
    private final Clock clock;
    private final ProtectedResourceMetadata metadata;

    private MandateResourceServer(Builder b) {
        this.issuer = Objects.requireNonNull(b.issuer, "issuer").replaceAll("/+$", "");
        this.audience = Objects.requireNonNull(b.audience, "audience");
        this.clock = b.clock;
        this.skew = b.skew;
        this.requireDpop = b.requireDpop;
        URI jwks = b.jwksUri != null ? b.jwksUri : URI.create(issuer + "/.well-known/jwks.json");
        this.keys = new JwksCache(jwks, b.http, b.jwksLifetime, Duration.ofSeconds(1), clock);
        this.dpop = new DpopGuard(clock, b.dpopProofMaxAge, skew, b.requireDpopNonce);
        this.metadata = new ProtectedResourceMetadata(audience, issuer, b.scopes, b.resourceName, requireDpop);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The caller of a request, from its {@code Authorization} and {@code DPoP} headers, for {@code method} on
     * {@code url} (the URL the client called, without query).
     *
     * @throws BadTokenException why the request is refused
     * @throws JwksCache.KeysUnavailableException Mandate's keys were never fetched: answer 503
     */
    public MandateToken authenticate(String authorization, String dpopProof, String method, String url)
            throws BadTokenException, JwksCache.KeysUnavailableException {
        if (authorization == null || authorization.isBlank()) {
            throw BadTokenException.missing();
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).strip();
        boolean dpopScheme = scheme.equalsIgnoreCase("DPoP");
        if (!dpopScheme && !scheme.equalsIgnoreCase("Bearer")) {
            throw BadTokenException.missing();
        }
        if (value.isEmpty()) {
            throw BadTokenException.invalidRequest("the Authorization header has no token");
        }
        MandateToken token = validate(value);
        if (token.dpopBound()) {
            if (!dpopScheme) {
                throw BadTokenException.invalidToken("a DPoP-bound token goes with the DPoP scheme and a proof");
            }
            if (dpopProof == null || dpopProof.isBlank()) {
                throw BadTokenException.invalidDpopProof("a DPoP-bound token needs a DPoP proof");
            }
            if (!token.dpopThumbprint().equals(dpop.accept(dpopProof, method, url, value))) {
                throw BadTokenException.invalidDpopProof("the DPoP proof is signed by another key than the token's");
            }
        } else if (dpopScheme) {
            throw BadTokenException.invalidToken("the token is not DPoP-bound; send it as Bearer");
        } else if (requireDpop) {
            throw BadTokenException.invalidToken("this API accepts DPoP-bound tokens only");
        }
        return token;
    }

    /**
     * Checks a token on its own, without a request: everything but the DPoP proof. What {@code mandate token verify}
     * runs.
     */
    public MandateToken validate(String token) throws BadTokenException, JwksCache.KeysUnavailableException {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw BadTokenException.invalidToken("the access token is too large (" + token.length() + " characters)");
        }
        refuseUnsigned(token);
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw BadTokenException.invalidToken("the access token is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!ClientSignatures.ALGORITHMS.contains(header.getAlgorithm())) {
            throw BadTokenException.invalidToken("alg " + header.getAlgorithm() + " is refused: Mandate signs with "
                    + "ES256, EdDSA or RS256");
        }
        if (header.getJWKURL() != null || header.getX509CertURL() != null || header.getJWK() != null
                || header.getX509CertChain() != null) {
            throw BadTokenException.invalidToken("the token names its own key (jku, x5u, jwk or x5c); Mandate's keys "
                    + "come from its JWKS only");
        }
        if (!AT_JWT.equals(header.getType()) && !APPLICATION_AT_JWT.equals(header.getType())) {
            throw BadTokenException.invalidToken("the token's typ is " + header.getType() + ", not at+jwt");
        }
        JWK key = keys.key(header.getKeyID());
        if (key == null) {
            throw BadTokenException.invalidToken("the token's kid " + header.getKeyID() + " is not one of Mandate's "
                    + "signing keys");
        }
        if (!ClientSignatures.verify(jwt, key)) {
            throw BadTokenException.invalidToken("the token's signature does not verify with key " + key.getKeyID());
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw BadTokenException.invalidToken("the token is from issuer " + claims.getIssuer() + ", not " + issuer);
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) {
            throw BadTokenException.invalidToken("the token is for " + aud + ", not " + audience);
        }
        Instant now = clock.instant();
        Instant exp = claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
        if (exp == null || !now.minus(skew).isBefore(exp)) {
            throw BadTokenException.invalidToken(exp == null ? "the token has no exp" : "the token expired at " + exp);
        }
        Instant nbf = claims.getNotBeforeTime() == null ? null : claims.getNotBeforeTime().toInstant();
        if (nbf != null && now.plus(skew).isBefore(nbf)) {
            throw BadTokenException.invalidToken("the token is not valid before " + nbf);
        }
        Instant iat = claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant();
        if (iat == null || now.plus(skew).isBefore(iat) || claims.getSubject() == null || claims.getJWTID() == null) {
            throw BadTokenException.invalidToken("the token lacks sub or jti, or its iat is missing or in the future");
        }
        return MandateToken.of(claims.getClaims(), aud, iat, exp);
    }

    /** Refuses {@code alg none} by name, before a JWS parser turns it into a parse error. */
    private static void refuseUnsigned(String token) throws BadTokenException {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)));
            if (header.replace(" ", "").toLowerCase(Locale.ROOT).contains("\"alg\":\"none\"")) {
                throw BadTokenException.invalidToken("alg none: unsigned tokens are refused");
            }
        } catch (IllegalArgumentException notBase64) {
            // Left to the parser's "not a signed JWT".
        }
    }

    /**
     * {@link #authenticate} and then the scopes: each of {@code requiredScopes} must be covered by the token's
     * (Mandate's wildcard rules), else 403 {@code insufficient_scope} naming them.
     */
    public MandateToken authorize(String authorization, String dpopProof, String method, String url,
            Collection<String> requiredScopes) throws BadTokenException, JwksCache.KeysUnavailableException {
        MandateToken token = authenticate(authorization, dpopProof, method, url);
        List<String> missing = token.missing(requiredScopes);
        if (!missing.isEmpty()) {
            throw BadTokenException.insufficientScope(requiredScopes);
        }
        return token;
    }

    /** The {@code WWW-Authenticate} value for a refusal (RFC 6750 §3, RFC 9449 §7.1, RFC 9728 §5.1). */
    public String challenge(BadTokenException refusal) {
        return Challenges.of(refusal, requireDpop, metadata.url());
    }

    /** The whole answer to a refused request: status, headers (challenge, DPoP nonce, no-store) and an RFC 6750 body. */
    public Refusal refusal(BadTokenException refusal) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("WWW-Authenticate", challenge(refusal));
        String nonce = refusal.dpopNonce() != null ? refusal.dpopNonce() : dpop.nonce();
        if (nonce != null) {
            headers.put("DPoP-Nonce", nonce);
        }
        headers.put("Cache-Control", "no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", refusal.error() == null ? "invalid_token" : refusal.error());
        body.put("error_description", refusal.description());
        return new Refusal(refusal.status(), headers, Json.write(body));
    }

    /** What to answer a refused request with. */
    public record Refusal(int status, Map<String, String> headers, String body) {
    }

    /** The nonce to hand out in {@code DPoP-Nonce} with a refusal, or null when nonces are off. */
    public String dpopNonce() {
        return dpop.nonce();
    }

    public ProtectedResourceMetadata metadata() {
        return metadata;
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    public URI jwksUri() {
        return keys.uri();
    }

    /** Settings; issuer and audience are required. */
    public static final class Builder {

        private String issuer;
        private String audience;
        private URI jwksUri;
        private boolean requireDpop;
        private boolean requireDpopNonce;
        private List<String> scopes = List.of();
        private String resourceName;
        private Duration jwksLifetime = Duration.ofMinutes(5);
        private Duration dpopProofMaxAge = Duration.ofSeconds(60);
        private Duration skew = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

        private Builder() {
        }

        /** Mandate's issuer, exactly as in its tokens' {@code iss}. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** This API's resource URI: the {@code aud} its tokens must carry. */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** Where the keys are; by default {@code <issuer>/.well-known/jwks.json}. */
        public Builder jwksUri(URI jwksUri) {
            this.jwksUri = jwksUri;
            return this;
        }

        /** How long fetched keys count before they are fetched again; 5 min by default. */
        public Builder jwksLifetime(Duration lifetime) {
            this.jwksLifetime = lifetime;
            return this;
        }

        /** Refuse bearer tokens: every token must be DPoP-bound (the resource's {@code dpop_required}). */
        public Builder requireDpop(boolean require) {
            this.requireDpop = require;
            return this;
        }

        /** Ask clients for a nonce of this API in their DPoP proofs (RFC 9449 §9). */
        public Builder requireDpopNonce(boolean require) {
            this.requireDpopNonce = require;
            return this;
        }

        /** The scopes the metadata lists ({@code scopes_supported}). */
        public Builder scopes(List<String> scopes) {
            this.scopes = List.copyOf(scopes);
            return this;
        }

        public Builder resourceName(String name) {
            this.resourceName = name;
            return this;
        }

        public Builder clockSkew(Duration skew) {
            this.skew = skew;
            return this;
        }

        public Builder dpopProofMaxAge(Duration maxAge) {
            this.dpopProofMaxAge = maxAge;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public MandateResourceServer build() {
            return new MandateResourceServer(this);
        }
    }
}
