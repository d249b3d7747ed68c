package io.mandate.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The stateless part of checking a DPoP proof (RFC 9449 §4.3): a {@code dpop+jwt} signed with the
 * public key in its own header, for this method and URL, recent, with {@code ath} when an access
 * token goes with it. Whoever calls it keeps the {@code jti} from being used twice and asks for
 * nonces where it wants them.
 */
public record DpopProof(String thumbprint, String jti, Instant issuedAt, String nonce) {

    private static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");
    private static final int MAX_PROOF_CHARS = 8192;

    /** A proof that is refused, with what is wrong with it (safe to show to the client). */
    public static final class BadDpopProofException extends Exception {
        public BadDpopProofException(String message) {
            super(message);
        }
    }

    /**
     * Checks {@code proof} for {@code method} on {@code url}, issued within {@code maxAge} (plus {@code skew}
     * either side) of {@code now}.
     *
     * @param accessToken the token presented with the proof, or null at a token endpoint
     */
    public static DpopProof check(String proof, String method, String url, String accessToken, Instant now,
            Duration maxAge, Duration skew) throws BadDpopProofException {
        if (proof.length() > MAX_PROOF_CHARS) {
            throw new BadDpopProofException("the DPoP proof is too large");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(proof);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new BadDpopProofException("the DPoP proof is not a signed JWT");
        }
        JWK key = jwt.getHeader().getJWK();
        if (!DPOP_JWT.equals(jwt.getHeader().getType())) {
            throw new BadDpopProofException("the DPoP proof's typ must be dpop+jwt");
        }
        if (key == null || key.isPrivate()) {
            throw new BadDpopProofException("the DPoP proof's header must carry the public jwk");
        }
        if (!ClientSignatures.verify(jwt, key)) {
            throw new BadDpopProofException("the DPoP proof's signature does not verify with its jwk");
        }
        String jti = stringClaim(claims, "jti");
        if (jti == null || jti.isEmpty() || jti.length() > 256) {
            throw new BadDpopProofException("the DPoP proof needs a jti");
        }
        if (!method.equals(stringClaim(claims, "htm"))) {
            throw new BadDpopProofException("the DPoP proof is for another HTTP method");
        }
        if (!sameUrl(stringClaim(claims, "htu"), url)) {
            throw new BadDpopProofException("the DPoP proof is for another URL");
        }
        Instant issued = claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant();
        if (issued == null || issued.isAfter(now.plus(skew)) || issued.isBefore(now.minus(maxAge).minus(skew))) {
            throw new BadDpopProofException("the DPoP proof's iat is outside the accepted window");
        }
        if (accessToken != null && !hash(accessToken).equals(stringClaim(claims, "ath"))) {
            throw new BadDpopProofException("the DPoP proof's ath does not match the access token");
        }
        try {
            return new DpopProof(key.computeThumbprint().toString(), jti, issued, stringClaim(claims, "nonce"));
        } catch (JOSEException e) {
            throw new BadDpopProofException("the DPoP proof's jwk has no thumbprint");
        }
    }

    /** base64url(SHA-256(access token)), the {@code ath} of a proof that goes with it. */
    public static String hash(String accessToken) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.UTF_8))).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String value ? value : null;
    }

    /** RFC 9449 §4.3: compare without query and fragment, scheme and host case-insensitively, default ports dropped. */
    static boolean sameUrl(String htu, String expected) {
        if (htu == null) {
            return false;
        }
        try {
            URI a = URI.create(htu);
            URI b = URI.create(expected);
            return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                    && a.getHost() != null && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
                    && port(a) == port(b) && path(a).equals(path(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String path(URI uri) {
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
