package io.mandate.resourceserver;

import io.mandate.jose.DpopProof;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stateful part of accepting DPoP proofs at an API: each proof once (its {@code jti} is kept for as long as it
 * could be accepted), and, when asked for, a nonce this API handed out (RFC 9449 §9), changed every
 * {@code maxAge} and accepted for two periods. In memory: with several replicas, nonces need sticky sessions or
 * should stay off, and a proof could be replayed once per replica.
 */
final class DpopGuard {

    private static final int MAX_REMEMBERED = 200_000;

    private final Clock clock;
    private final Duration maxAge;
    private final Duration skew;
    private final boolean requireNonce;
    private final byte[] nonceSecret = new byte[16];
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    DpopGuard(Clock clock, Duration maxAge, Duration skew, boolean requireNonce) {
        this.clock = clock;
        this.maxAge = maxAge;
        this.skew = skew;
        this.requireNonce = requireNonce;
        new SecureRandom().nextBytes(nonceSecret);
    }

    /** The proof's key thumbprint once it is checked for this request and token, and used up. */
    String accept(String proof, String method, String url, String accessToken) throws BadTokenException {
        Instant now = clock.instant();
        DpopProof checked;
        try {
            checked = DpopProof.check(proof, method, url, accessToken, now, maxAge, skew);
        } catch (DpopProof.BadDpopProofException e) {
            throw BadTokenException.invalidDpopProof(e.getMessage());
        }
        if (requireNonce && !validNonce(checked.nonce(), now)) {
            throw BadTokenException.useDpopNonce(nonce());
        }
        sweep(now);
        if (seen.putIfAbsent(checked.thumbprint() + " " + checked.jti(), checked.issuedAt().plus(maxAge).plus(skew)
                .plus(skew)) != null) {
            throw BadTokenException.invalidDpopProof("the DPoP proof was used before");
        }
        return checked.thumbprint();
    }

    /** The nonce to hand out now, or null when nonces are off. */
    String nonce() {
        return requireNonce ? nonceFor(slot(clock.instant())) : null;
    }

    private boolean validNonce(String nonce, Instant now) {
        long slot = slot(now);
        return nonce != null && (nonce.equals(nonceFor(slot)) || nonce.equals(nonceFor(slot - 1)));
    }

    private long slot(Instant now) {
        return now.getEpochSecond() / Math.max(1, maxAge.getSeconds());
    }

    private String nonceFor(long slot) {
        byte[] bytes = ByteBuffer.allocate(24).put(nonceSecret).putLong(slot).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(bytes));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private void sweep(Instant now) {
        if (seen.size() < MAX_REMEMBERED / 2) {
            return;
        }
        for (Iterator<Instant> it = seen.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(now)) {
                it.remove();
            }
        }
        if (seen.size() >= MAX_REMEMBERED) {
            // Under a flood of distinct proofs, forget the oldest half rather than grow without bound.
            seen.clear();
        }
    }
}
