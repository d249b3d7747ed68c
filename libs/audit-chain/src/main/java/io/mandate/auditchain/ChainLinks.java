package io.mandate.auditchain;

import io.mandate.jose.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * What ties an audit trail together, the same for the service that writes it and anyone checking an export: each
 * record's hash over the previous one and its canonical event, and the Ed25519 signatures of what vouches for it.
 */
public final class ChainLinks {

    /** The {@code prev_hash} of a chain's first record. */
    public static final byte[] GENESIS = new byte[32];

    private ChainLinks() {
    }

    /** SHA-256(prev || canonical event): a record's {@code hash}. */
    public static byte[] hash(byte[] prev, byte[] canonical) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(prev);
            return sha256.digest(canonical);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** True if {@code signature} is the key {@code keyId}'s (one of {@code keyring}, raw Ed25519) over {@code payload}. */
    public static boolean verifies(Map<String, byte[]> keyring, String keyId, String payload, byte[] signature) {
        byte[] key = keyId == null ? null : keyring.get(keyId);
        return key != null && Ed25519.verify(key, payload.getBytes(StandardCharsets.UTF_8), signature);
    }
}
