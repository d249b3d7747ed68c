package io.mandate.token.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;
import org.conscrypt.Conscrypt;
import org.jboss.logging.Logger;

/**
 * Generates signing keys and makes signers for the three algorithms tokens may be signed with:
 * ES256 (P-256, signed by BoringSSL through Conscrypt where its native library loads, else by Bouncy
 * Castle's lightweight API; both several times faster than JDK 17's SunEC), EdDSA (Ed25519, Bouncy
 * Castle's signer: Nimbus would need Tink) and RS256 (RSA 2048).
 */
final class KeyMaterial {

    private static final Logger LOG = Logger.getLogger(KeyMaterial.class);

    static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.RS256);

    private static final ECDomainParameters P256;

    static {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        P256 = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    }
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Conscrypt's provider, not installed globally: only the ES256 signer asks it for anything. */
    static final Optional<Provider> BORINGSSL = boringSsl();

    private KeyMaterial() {
    }

    /** A new private JWK for {@code alg} with {@code kid}. */
    static JWK generate(JWSAlgorithm alg, String kid) throws JOSEException {
        if (JWSAlgorithm.ES256.equals(alg)) {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).generate();
        }
        if (JWSAlgorithm.RS256.equals(alg)) {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).generate();
        }
        if (JWSAlgorithm.EdDSA.equals(alg)) {
            Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(RANDOM);
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(key.generatePublicKey().getEncoded()))
                    .d(Base64URL.encode(key.getEncoded())).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).build();
        }
        throw new IllegalArgumentException("unsupported signing algorithm " + alg);
    }

    static JWSSigner signer(JWK key) throws JOSEException {
        return signer(key, BORINGSSL);
    }

    /** As {@link #signer(JWK)}, with ES256 signed by {@code boringSsl} if present, else by Bouncy Castle. */
    static JWSSigner signer(JWK key, Optional<Provider> boringSsl) throws JOSEException {
        if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            if (boringSsl.isPresent()) {
                return new NativeEs256JwsSigner(boringSsl.get(), nativeKey(ec, boringSsl.get()));
            }
            return new Es256JwsSigner(new ECPrivateKeyParameters(ec.getD().decodeToBigInteger(), P256));
        }
        if (key instanceof RSAKey rsa) {
            return new RSASSASigner(rsa);
        }
        if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            return new Ed25519JwsSigner(new Ed25519PrivateKeyParameters(okp.getD().decode()));
        }
        throw new JOSEException("no signer for key type " + key.getKeyType());
    }

    private static Optional<Provider> boringSsl() {
        try {
            if (Conscrypt.isAvailable()) {
                LOG.info("ES256 tokens are signed by BoringSSL (Conscrypt)");
                return Optional.of(Conscrypt.newProvider());
            }
        } catch (LinkageError e) {
            LOG.debugf(e, "Conscrypt cannot load");
        }
        LOG.warn("Conscrypt's native library does not load on this platform: ES256 tokens are signed by Bouncy"
                + " Castle, about five times slower");
        return Optional.empty();
    }

    /** The key as the provider's own object, converted once rather than on every signature. */
    private static PrivateKey nativeKey(ECKey key, Provider provider) throws JOSEException {
        try {
            return KeyFactory.getInstance("EC", provider)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.toECPrivateKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new JOSEException("Conscrypt refused a P-256 key", e);
        }
    }

    /** A signer of this class's own: one algorithm, no JCA provider to choose. */
    private interface OneAlgorithm extends JWSSigner {

        JWSAlgorithm algorithm();

        @Override
        default Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(algorithm());
        }

        @Override
        default JCAContext getJCAContext() {
            return new JCAContext();
        }
    }

    /**
     * ES256 through BoringSSL's P-256 (Conscrypt's JNI), about five times Bouncy Castle's rate
     * ({@code bench/signing.sh}; figures in docs/benchmarks.md). One {@link Signature}
     * per thread, initialized once: Conscrypt frees each signature's native context by finalization, and
     * a fresh {@code Signature} per token would make two of those instead of one. The signature is
     * converted from DER to R || S (RFC 7518 §3.4).
     */
    private static final class NativeEs256JwsSigner implements OneAlgorithm {

        private final ThreadLocal<Signature> signatures;

        NativeEs256JwsSigner(Provider provider, PrivateKey key) {
            this.signatures = ThreadLocal.withInitial(() -> {
                try {
                    Signature signature = Signature.getInstance("SHA256withECDSA", provider);
                    signature.initSign(key);
                    return signature;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("Conscrypt cannot sign with a P-256 key", e);
                }
            });
        }

        @Override
        public JWSAlgorithm algorithm() {
            return JWSAlgorithm.ES256;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            Signature signature = signatures.get();
            try {
                signature.update(signingInput);
                return Base64URL.encode(ECDSA.transcodeSignatureToConcat(signature.sign(), 64)); // ready for the next
            } catch (GeneralSecurityException e) {
                signatures.remove(); // in an unknown state
                throw new JOSEException("ES256 signing failed", e);
            }
        }
    }

    /**
     * ES256 through Bouncy Castle's lightweight API on its custom P-256 curve, whose generator keeps its
     * precomputed multiples: through the JCA provider every signature would redo that precomputation.
     * Deterministic nonces (RFC 6979); the signature is R || S, 32 bytes each (RFC 7518 §3.4).
     */
    private record Es256JwsSigner(ECPrivateKeyParameters key) implements OneAlgorithm {

        @Override
        public JWSAlgorithm algorithm() {
            return JWSAlgorithm.ES256;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) {
            SHA256Digest digest = new SHA256Digest();
            byte[] hash = new byte[digest.getDigestSize()];
            digest.update(signingInput, 0, signingInput.length);
            digest.doFinal(hash, 0);
            ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            signer.init(true, key);
            BigInteger[] rs = signer.generateSignature(hash);
            byte[] signature = new byte[64];
            BigIntegers.asUnsignedByteArray(rs[0], signature, 0, 32);
            BigIntegers.asUnsignedByteArray(rs[1], signature, 32, 32);
            return Base64URL.encode(signature);
        }
    }

    /** EdDSA (RFC 8037) through Bouncy Castle's Ed25519; thread-safe, a signer per call. */
    private record Ed25519JwsSigner(Ed25519PrivateKeyParameters key) implements OneAlgorithm {

        @Override
        public JWSAlgorithm algorithm() {
            return JWSAlgorithm.EdDSA;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, key);
            signer.update(signingInput, 0, signingInput.length);
            return Base64URL.encode(signer.generateSignature());
        }
    }
}
