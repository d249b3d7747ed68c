package io.mandate.token.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Both ES256 signers produce JWS signatures that a standard verifier accepts, for their key only. */
class KeyMaterialTest {

    @Test
    void boringSslLoadsOnThisPlatform() {
        // CI and the benchmark run on linux-x86_64, for which Conscrypt ships its library: if it stopped
        // loading, tokens would still be signed (by Bouncy Castle) but five times slower, unnoticed.
        assertTrue(KeyMaterial.BORINGSSL.isPresent(), "Conscrypt's native library did not load");
    }

    @Test
    void es256SignedByBoringSslVerifies() throws Exception {
        assertSignerVerifies(KeyMaterial.BORINGSSL);
    }

    @Test
    void es256SignedByBouncyCastleVerifies() throws Exception {
        assertSignerVerifies(Optional.empty());
    }

    @Test
    void threadsSigningAtOnceEachGetValidSignatures() throws Exception {
        // Each thread keeps its own native signature state: shared, concurrent signatures would corrupt it.
        ECKey key = (ECKey) KeyMaterial.generate(JWSAlgorithm.ES256, "k1");
        JWSSigner signer = KeyMaterial.signer(key, KeyMaterial.BORINGSSL);
        ECDSAVerifier verifier = new ECDSAVerifier(key.toPublicJWK());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        if (!sign(signer, "{\"t\":" + thread + ",\"n\":" + i + "}").verify(verifier)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void assertSignerVerifies(Optional<Provider> boringSsl) throws Exception {
        ECKey key = (ECKey) KeyMaterial.generate(JWSAlgorithm.ES256, "k1");
        ECKey other = (ECKey) KeyMaterial.generate(JWSAlgorithm.ES256, "k2");
        ECDSAVerifier verifier = new ECDSAVerifier(key.toPublicJWK());
        JWSSigner signer = KeyMaterial.signer(key, boringSsl);
        assertEquals(boringSsl.isPresent(), signer.getClass().getSimpleName().startsWith("Native"));

        JWSObject first = sign(signer, "{\"sub\":\"agt_1\"}");
        assertEquals(64, first.getSignature().decode().length, "R || S, not DER");
        assertTrue(first.verify(verifier));
        assertFalse(first.verify(new ECDSAVerifier(other.toPublicJWK())));

        JWSObject tampered = new JWSObject(first.getParsedParts()[0], Base64URL.encode("{\"sub\":\"agt_2\"}"),
                first.getSignature());
        assertFalse(tampered.verify(verifier));

        for (int i = 0; i < 200; i++) {
            // Short R or S values (about 1 in 128 signatures) must still come out as 32 bytes each.
            assertTrue(sign(signer, "{\"n\":" + i + "}").verify(verifier));
        }
    }

    private static JWSObject sign(JWSSigner signer, String payload) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload(payload));
        jws.sign(signer);
        return JWSObject.parse(jws.serialize());
    }
}
