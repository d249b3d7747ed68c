package io.mandate.sealing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets kept at rest with AES-256-GCM under a key-encryption key from configuration. The
 * sealed form is {@code iv(12) || ciphertext+tag}; the context string is bound as associated data,
 * so a sealed value cannot be moved to another purpose or row.
 */
public final class SecretSealer {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretSealer(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** @param base64Key 32 bytes, base64; anything else is a configuration error */
    public static SecretSealer fromBase64(String base64Key) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("key-encryption key is not base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException("key-encryption key must be 32 bytes (AES-256), got " + key.length);
        }
        return new SecretSealer(key);
    }

    public byte[] seal(byte[] plaintext, String context) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Opens a sealed value; throws {@link SealBrokenException} if it was altered or sealed for another context. */
    public byte[] open(byte[] sealed, String context) {
        if (sealed.length <= IV_BYTES) {
            throw new SealBrokenException();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealBrokenException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** A sealed value failed authentication: wrong key, wrong context or tampered bytes. */
    public static final class SealBrokenException extends RuntimeException {
        SealBrokenException() {
            super("sealed secret failed authentication (wrong key-encryption key, context, or tampered data)");
        }
    }
}
