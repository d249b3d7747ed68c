package io.mandate.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.Set;

/**
 * Checks a JWS made by a client (key challenge, {@code private_key_jwt} assertion, DPoP proof)
 * against the client's public JWK. Only asymmetric algorithms that fit the key are accepted, so
 * {@code none} and HMAC tricks fail here; Ed25519 is checked by the JDK (Nimbus would need Tink).
 */
public final class ClientSignatures {

    /** What a client may sign with. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
            JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private static final int MIN_RSA_BITS = 2048;

    private ClientSignatures() {
    }

    /** True if {@code jws} carries a valid signature by {@code key} with an algorithm that fits it. */
    public static boolean verify(JWSObject jws, JWK key) {
        JWSAlgorithm alg = jws.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            return false;
        }
        try {
            if (key instanceof OctetKeyPair okp) {
                return Curve.Ed25519.equals(okp.getCurve())
                        && (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg))
                        && Ed25519.verify(okp.getX().decode(), jws.getSigningInput(), jws.getSignature().decode());
            }
            JWSVerifier verifier;
            if (key instanceof ECKey ec) {
                verifier = new ECDSAVerifier(ec);
            } else if (key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS) {
                verifier = new RSASSAVerifier(rsa);
            } else {
                return false;
            }
            return verifier.supportedJWSAlgorithms().contains(alg) && jws.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }
}
