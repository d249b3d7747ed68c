package io.mandate.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key a client proves possession of (RFC 9449): makes a {@code dpop+jwt} proof per request, with the nonce each
 * server last asked for ({@code DPoP-Nonce}), remembered per origin.
 */
public final class DpopKey {

    private static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");

    private final ECKey key;
    private final ECDSASigner signer;
    private final String thumbprint;
    private final Clock clock;
    private final Map<String, String> nonces = new ConcurrentHashMap<>();

    private DpopKey(ECKey key, Clock clock) {
        try {
            this.key = key;
            this.signer = new ECDSASigner(key);
            this.thumbprint = key.computeThumbprint().toString();
            this.clock = clock;
        } catch (JOSEException e) {
            throw new IllegalArgumentException("a DPoP key must be a private EC P-256 key", e);
        }
    }

    /** A fresh P-256 key that lives as long as this object: tokens bound to it die with the process. */
    public static DpopKey generate() {
        try {
            return new DpopKey(new ECKeyGenerator(Curve.P_256).generate(), Clock.systemUTC());
        } catch (JOSEException e) {
            throw new IllegalStateException("this JDK cannot make P-256 keys", e);
        }
    }

    /** A kept P-256 private key, so that bound tokens survive a restart. */
    public static DpopKey of(ECKey privateKey) {
        if (!privateKey.isPrivate() || !Curve.P_256.equals(privateKey.getCurve())) {
            throw new IllegalArgumentException("a DPoP key must be a private EC P-256 key");
        }
        return new DpopKey(privateKey, Clock.systemUTC());
    }

    DpopKey withClock(Clock other) {
        return new DpopKey(key, other);
    }

    /** RFC 7638 thumbprint of the public key: a bound token's {@code cnf.jkt}. */
    public String thumbprint() {
        return thumbprint;
    }

    /** A proof for one request; {@code accessToken} is null at a token endpoint. */
    public String proof(String method, URI uri, String accessToken) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .claim("htm", method)
                .claim("htu", htu(uri))
                .issueTime(Date.from(clock.instant()));
        String nonce = nonces.get(origin(uri));
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        if (accessToken != null) {
            claims.claim("ath", hash(accessToken));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(DPOP_JWT)
                .jwk(key.toPublicJWK()).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a DPoP proof failed", e);
        }
        return jwt.serialize();
    }

    /** Keeps the nonce a server sent for its later proofs; a null or blank one changes nothing. */
    public void rememberNonce(URI uri, String nonce) {
        if (nonce != null && !nonce.isBlank()) {
            nonces.put(origin(uri), nonce);
        }
    }

    /** base64url(SHA-256(token)): the {@code ath} of a proof sent with an access token. */
    static String hash(String accessToken) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getBytes(StandardCharsets.US_ASCII))).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String htu(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null
                || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())).toString();
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
