package io.mandate.identity.service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;

/**
 * Public keys agents register, checked on upload: a JWK (EC P-256, Ed25519 or RSA ≥ 2048, public
 * part only) for {@code private_key_jwt}, or an ASCII-armored OpenPGP key (RSA ≥ 2048 or Ed25519)
 * for the SWARM challenge flow.
 */
public final class PublicKeys {

    private static final int MIN_RSA_BITS = 2048;

    private PublicKeys() {
    }

    /** A checked key: its id (thumbprint or fingerprint), algorithm, and canonical public form. */
    public record Checked(String keyId, String algorithm, String publicKey) {
    }

    public static Checked jwk(Map<String, Object> json) {
        JWK jwk;
        try {
            jwk = JWK.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw invalidJwk("not a JSON Web Key (RFC 7517)");
        }
        if (jwk.isPrivate()) {
            throw invalidJwk("the key contains private material; upload only the public key");
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            throw invalidJwk("\"use\" must be \"sig\"");
        }
        String algorithm;
        if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            algorithm = "ES256";
        } else if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            algorithm = "EdDSA";
        } else if (jwk instanceof RSAKey rsa) {
            if (rsa.size() < MIN_RSA_BITS) {
                throw invalidJwk("RSA keys must have at least " + MIN_RSA_BITS + " bits");
            }
            algorithm = "RS256";
        } else {
            throw invalidJwk("supported keys: EC P-256, Ed25519 (OKP), RSA >= " + MIN_RSA_BITS);
        }
        if (jwk.getAlgorithm() != null && !compatible(algorithm, jwk.getAlgorithm().getName())) {
            throw invalidJwk("\"alg\" " + jwk.getAlgorithm().getName() + " does not fit the key type");
        }
        try {
            return new Checked(jwk.computeThumbprint().toString(), algorithm, jwk.toPublicJWK().toJSONString());
        } catch (JOSEException e) {
            throw invalidJwk("the key's thumbprint cannot be computed");
        }
    }

    private static boolean compatible(String keyAlgorithm, String declared) {
        return switch (keyAlgorithm) {
            case "RS256" -> Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512").contains(declared);
            case "EdDSA" -> Set.of("EdDSA", "Ed25519").contains(declared);
            default -> JWSAlgorithm.ES256.getName().equals(declared);
        };
    }

    public static Checked pgp(String armored) {
        PGPPublicKeyRingCollection rings;
        try {
            rings = new PGPPublicKeyRingCollection(PGPUtil.getDecoderStream(
                    new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII))), new JcaKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw invalidPgp("not an ASCII-armored OpenPGP public key");
        }
        List<PGPPublicKeyRing> all = new ArrayList<>();
        rings.getKeyRings().forEachRemaining(all::add);
        if (all.size() != 1) {
            throw invalidPgp("exactly one OpenPGP public key is expected, found " + all.size());
        }
        PGPPublicKey key = all.get(0).getPublicKey();
        String algorithm = switch (key.getAlgorithm()) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN -> {
                if (key.getBitStrength() < MIN_RSA_BITS) {
                    throw invalidPgp("RSA keys must have at least " + MIN_RSA_BITS + " bits");
                }
                yield "RSA-" + key.getBitStrength();
            }
            case PublicKeyAlgorithmTags.EDDSA_LEGACY, PublicKeyAlgorithmTags.Ed25519 -> "Ed25519";
            default -> throw invalidPgp("supported keys: RSA >= " + MIN_RSA_BITS + " or Ed25519");
        };
        if (key.hasRevocation()) {
            throw invalidPgp("the key is revoked");
        }
        return new Checked(HexFormat.of().withUpperCase().formatHex(key.getFingerprint()), algorithm, armored.strip());
    }

    private static ProblemException invalidJwk(String message) {
        return new ProblemException(400, "invalid_jwk", "Bad Request", message,
                List.of(new Problem.FieldError("jwk", message)));
    }

    private static ProblemException invalidPgp(String message) {
        return new ProblemException(400, "invalid_pgp_key", "Bad Request", message,
                List.of(new Problem.FieldError("public_key", message)));
    }
}
