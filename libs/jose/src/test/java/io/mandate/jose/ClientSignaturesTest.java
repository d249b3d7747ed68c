package io.mandate.jose;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClientSignaturesTest {

    private static JWSObject signed(JWSAlgorithm alg, com.nimbusds.jose.JWSSigner signer) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader(alg), new Payload("challenge"));
        jws.sign(signer);
        return JWSObject.parse(jws.serialize());
    }

    @Test
    void ecKeyVerifiesItsOwnSignatureAndNoOther() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        JWSObject jws = signed(JWSAlgorithm.ES256, new ECDSASigner(key));
        assertTrue(ClientSignatures.verify(jws, key.toPublicJWK()));
        assertFalse(ClientSignatures.verify(jws, other.toPublicJWK()));
    }

    @Test
    void hmacWithThePublicKeyAsSecretIsRefused() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        byte[] secret = rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        JWSObject jws = signed(JWSAlgorithm.HS256, new MACSigner(Arrays.copyOf(secret, 64)));
        assertFalse(ClientSignatures.verify(jws, rsa.toPublicJWK()));
    }

    @Test
    void algorithmsThatDoNotFitTheKeyAndShortRsaKeysAreRefused() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        assertFalse(ClientSignatures.verify(signed(JWSAlgorithm.ES256, new ECDSASigner(key)), rsa.toPublicJWK()));

        RSAKey shortKey = new RSAKeyGenerator(1024, true).generate();
        assertFalse(ClientSignatures.verify(signed(JWSAlgorithm.RS256, new RSASSASigner(shortKey.toPrivateKey(), true)), shortKey.toPublicJWK()));
    }

    @Test
    void ed25519IsCheckedByTheJdk() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519,
                Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length))).build();
        JWSObject unsigned = new JWSObject(new JWSHeader(JWSAlgorithm.EdDSA), new Payload("challenge"));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(unsigned.getSigningInput());
        String compact = new String(unsigned.getSigningInput(), StandardCharsets.US_ASCII) + "."
                + Base64URL.encode(signer.sign());
        assertTrue(ClientSignatures.verify(JWSObject.parse(compact), jwk));
        assertFalse(ClientSignatures.verify(JWSObject.parse(compact.replace(Base64URL.encode("challenge").toString(), Base64URL.encode("challengf").toString())), jwk));
    }
}
