package io.mandate.credentials;

import io.mandate.api.TypeIds;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * API keys (docs/api-conventions.md): {@code mnd_sk_<key id>_<secret>}. Only {@link #verifier} (HMAC-SHA256 under a
 * server pepper) is ever stored; identity-service computes it at creation, token-service on each use.
 */
public record ApiKey(String keyId, String value) {

    private static final String PREFIX = "mnd_sk_";
    private static final int KEY_ID_BYTES = 10;
    private static final int SECRET_BYTES = 32;

    /** A new random key. Its {@code value} is shown to the caller once and never stored. */
    public static ApiKey generate() {
        String keyId = TypeIds.randomToken(KEY_ID_BYTES);
        return new ApiKey(keyId, PREFIX + keyId + "_" + TypeIds.randomToken(SECRET_BYTES));
    }

    /** Splits a presented key; empty when it is not shaped like one of ours. */
    public static Optional<ApiKey> parse(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
            return Optional.empty();
        }
        int separator = presented.indexOf('_', PREFIX.length());
        if (separator <= PREFIX.length() || separator == presented.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(presented.substring(PREFIX.length(), separator), presented));
    }

    /** The keyed hash stored and shipped to verifiers: hex HMAC-SHA256(pepper, key). */
    public String verifier(byte[] pepper) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time check of this key against a stored verifier. */
    public boolean matches(String storedVerifier, byte[] pepper) {
        return MessageDigest.isEqual(verifier(pepper).getBytes(StandardCharsets.US_ASCII),
                storedVerifier.getBytes(StandardCharsets.US_ASCII));
    }

    /** Decodes the base64 pepper from configuration; refuses one too short to be a key. */
    public static byte[] pepper(String base64) {
        byte[] pepper = Base64.getDecoder().decode(base64.trim());
        if (pepper.length < 16) {
            throw new IllegalStateException("mandate.credentials.pepper must be at least 16 bytes (base64)");
        }
        return pepper;
    }

    @Override
    public String toString() {
        return "ApiKey[" + keyId + "]";
    }
}
