package io.mandate.testsupport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;

/** An agent's OpenPGP key in tests (RSA-2048): its armored public half, and decrypting what is sent to it. */
public record PgpKey(PGPKeyPair pair) {

    public static PgpKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new PgpKey(new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                    generator.generateKeyPair(), new Date()));
        } catch (GeneralSecurityException | PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    public String armored() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            pair.getPublicKey().encode(armored);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** The key's fingerprint in hex, upper case (identity-service's form) or not. */
    public String fingerprint(boolean upperCase) {
        HexFormat hex = upperCase ? HexFormat.of().withUpperCase() : HexFormat.of();
        return hex.formatHex(pair.getPublicKey().getFingerprint());
    }

    /** What the agent does with its private key: reads an armored message encrypted to it. */
    public String decrypt(String armoredMessage) {
        try {
            JcaPGPObjectFactory factory = new JcaPGPObjectFactory(PGPUtil.getDecoderStream(
                    new ByteArrayInputStream(armoredMessage.getBytes(StandardCharsets.US_ASCII))));
            Object first = factory.nextObject();
            PGPEncryptedDataList list = first instanceof PGPEncryptedDataList l ? l : (PGPEncryptedDataList) factory.nextObject();
            PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) list.get(0);
            var clear = data.getDataStream(new JcePublicKeyDataDecryptorFactoryBuilder()
                    .setProvider(new BouncyCastleProvider()).build(pair.getPrivateKey()));
            PGPLiteralData literal = (PGPLiteralData) new JcaPGPObjectFactory(clear).nextObject();
            return new String(literal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | PGPException e) {
            throw new IllegalStateException("could not decrypt: " + e.getMessage(), e);
        }
    }
}
