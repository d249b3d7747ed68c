package io.mandate.token.service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.jose.ClientSignatures;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.repository.OneTimeIds;
import io.mandate.token.rest.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks DPoP proofs (RFC 9449 §4.3): a {@code dpop+jwt} signed with the public key in its own header,
 * for this method and URL, recent, never seen before, with {@code ath} when an access token goes with
 * it, and with a server nonce when one is required. Nonces need no shared state: each is an HMAC of a
 * five-minute time slot under a key derived from the key-encryption key, so every replica accepts
 * every replica's nonce for the current and the previous slot.
 */
@ApplicationScoped
public class DpopProofs {

    private static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");
    private static final long NONCE_SLOT_SECONDS = 300;
    private static final int MAX_PROOF_CHARS = 8192;

    private final TokenConfig config;
    private final OneTimeIds oneTimeIds;
    private final SecretKeySpec nonceKey;

    DpopProofs(TokenConfig config, OneTimeIds oneTimeIds) {
        this.config = config;
        this.oneTimeIds = oneTimeIds;
        this.nonceKey = new SecretKeySpec(hmac(new SecretKeySpec(Base64.getDecoder().decode(config.keyEncryptionKey()),
                "HmacSHA256"), "mandate dpop nonce".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
    }

    /**
     * The JWK thumbprint (RFC 7638) of the key that made a valid proof for {@code method} on {@code url}.
     *
     * @param accessToken the token presented with the proof, or null at the token endpoint
     */
    public String verify(String proof, String method, String url, String accessToken) {
        if (proof.length() > MAX_PROOF_CHARS) {
            throw OAuthException.invalidDpopProof("the DPoP proof is too large");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(proof);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OAuthException.invalidDpopProof("the DPoP proof is not a signed JWT");
        }
        JWK key = jwt.getHeader().getJWK();
        if (!DPOP_JWT.equals(jwt.getHeader().getType())) {
            throw OAuthException.invalidDpopProof("the DPoP proof's typ must be dpop+jwt");
        }
        if (key == null || key.isPrivate()) {
            throw OAuthException.invalidDpopProof("the DPoP proof's header must carry the public jwk");
        }
        if (!ClientSignatures.verify(jwt, key)) {
            throw OAuthException.invalidDpopProof("the DPoP proof's signature does not verify with its jwk");
        }
        String jti = stringClaim(claims, "jti");
        if (jti == null || jti.length() > 256) {
            throw OAuthException.invalidDpopProof("the DPoP proof needs a jti");
        }
        if (!method.equals(stringClaim(claims, "htm"))) {
            throw OAuthException.invalidDpopProof("the DPoP proof is for another HTTP method");
        }
        if (!sameUrl(stringClaim(claims, "htu"), url)) {
            throw OAuthException.invalidDpopProof("the DPoP proof is for another URL");
        }
        Instant now = Instant.now();
        Instant issued = claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant();
        if (issued == null || issued.isAfter(now.plus(config.clockSkew()))
                || issued.isBefore(now.minus(config.dpopProofMaxAge()).minus(config.clockSkew()))) {
            throw OAuthException.invalidDpopProof("the DPoP proof's iat is outside the accepted window");
        }
        if (accessToken != null && !hash(accessToken).equals(stringClaim(claims, "ath"))) {
            throw OAuthException.invalidDpopProof("the DPoP proof's ath does not match the access token");
        }
        String nonce = stringClaim(claims, "nonce");
        if ((nonce != null || config.dpopRequireNonce()) && !validNonce(nonce, now)) {
            throw OAuthException.useDpopNonce(nonce(now));
        }
        String thumbprint;
        try {
            thumbprint = key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw OAuthException.invalidDpopProof("the DPoP proof's jwk has no thumbprint");
        }
        if (!oneTimeIds.use(OneTimeIds.DPOP_PROOF, thumbprint + " " + jti,
                issued.plus(config.dpopProofMaxAge()).plus(config.clockSkew()))) {
            throw OAuthException.invalidDpopProof("the DPoP proof was used before");
        }
        return thumbprint;
    }

    /** A nonce for the current time slot, for the {@code DPoP-Nonce} response header. */
    public String nonce() {
        return nonce(Instant.now());
    }

    /** base64url(SHA-256(access token)), the {@code ath} of a proof that goes with it. */
    public static String hash(String accessToken) {
        return Sha256.base64Url(accessToken);
    }

    private String nonce(Instant now) {
        long slot = now.getEpochSecond() / NONCE_SLOT_SECONDS;
        return Base64URL.encode(nonceBytes(slot)).toString();
    }

    private boolean validNonce(String nonce, Instant now) {
        if (nonce == null) {
            return false;
        }
        byte[] presented = Base64URL.from(nonce).decode();
        long slot = now.getEpochSecond() / NONCE_SLOT_SECONDS;
        return MessageDigest.isEqual(presented, nonceBytes(slot)) || MessageDigest.isEqual(presented, nonceBytes(slot - 1));
    }

    private byte[] nonceBytes(long slot) {
        byte[] slotBytes = ByteBuffer.allocate(Long.BYTES).putLong(slot).array();
        byte[] mac = Arrays.copyOf(hmac(nonceKey, slotBytes), 16);
        return ByteBuffer.allocate(slotBytes.length + mac.length).put(slotBytes).put(mac).array();
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
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
                    && port(a) == port(b)
                    && (a.getRawPath() == null || a.getRawPath().isEmpty() ? "/" : a.getRawPath())
                            .equals(b.getRawPath() == null || b.getRawPath().isEmpty() ? "/" : b.getRawPath());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
