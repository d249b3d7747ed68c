package io.mandate.identity;

import com.nimbusds.jose.util.Base64URL;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

/** Key material tests upload: fresh key pairs, as JWKs and as ASCII-armored OpenPGP keys. */
public final class TestKeys {

    private TestKeys() {
    }

    public static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (bits > 0) {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half of an Ed25519 pair as an OKP JWK: the raw key ends the X.509 encoding. */
    public static Map<String, Object> ed25519Jwk(KeyPair pair) {
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        return Map.of("kty", "OKP", "crv", "Ed25519", "x", Base64URL.encode(x).toString());
    }

    /** An ASCII-armored OpenPGP public key ({@code algorithm}: a {@code PublicKeyAlgorithmTags} value). */
    public static String armored(int algorithm, KeyPair pair) {
        try {
            var key = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, algorithm, pair, new Date()).getPublicKey();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
                key.encode(armor);
            }
            return out.toString(StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
