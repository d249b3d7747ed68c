package io.mandate.token.service;

import com.nimbusds.jose.util.Base64URL;
import io.mandate.jose.DpopProof;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.repository.OneTimeIds;
import io.mandate.token.oauth.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks DPoP proofs (RFC 9449 §4.3): a {@code dpop+jwt} signed with the public key in its own header,
 * for this method and URL, recent, never seen before, with {@code ath} when an access token goes with
 * it, and with a server nonce when one is required. Nonces need no shared state: each is an HMAC of a
 * five-minute time slot under a key derived from the key-encryption key, so every replica accepts
 * every replica's nonce for the current and the previous slot.
 */
@ApplicationScoped
public class DpopProofs {

    private static final long NONCE_SLOT_SECONDS = 300;

    private final TokenConfig config;
    private final OneTimeIds oneTimeIds;
    private final SecretKeySpec nonceKey;

    DpopProofs(TokenConfig config, OneTimeIds oneTimeIds) {
        this.config = config;
        this.oneTimeIds = oneTimeIds;
        this.nonceKey = new SecretKeySpec(hmac(new SecretKeySpec(Base64.getDecoder().decode(config.keyEncryptionKey()),
                "HmacSHA256"), "mandate dpop nonce".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
    }

    /**
     * The JWK thumbprint (RFC 7638) of the key that made a valid proof for {@code method} on {@code url}.
     *
     * @param accessToken the token presented with the proof, or null at the token endpoint
     */
    public String verify(String proof, String method, String url, String accessToken) {
        Instant now = Instant.now();
        DpopProof checked;
        try {
            checked = DpopProof.check(proof, method, url, accessToken, now, config.dpopProofMaxAge(), config.clockSkew());
        } catch (DpopProof.BadDpopProofException e) {
            throw OAuthException.invalidDpopProof(e.getMessage());
        }
        if ((checked.nonce() != null || config.dpopRequireNonce()) && !validNonce(checked.nonce(), now)) {
            throw OAuthException.useDpopNonce(nonce(now));
        }
        if (!oneTimeIds.use(OneTimeIds.DPOP_PROOF, checked.thumbprint() + " " + checked.jti(),
                checked.issuedAt().plus(config.dpopProofMaxAge()).plus(config.clockSkew()))) {
            throw OAuthException.invalidDpopProof("the DPoP proof was used before");
        }
        return checked.thumbprint();
    }

    /** A nonce for the current time slot, for the {@code DPoP-Nonce} response header. */
    public String nonce() {
        return nonce(Instant.now());
    }

    private String nonce(Instant now) {
        long slot = now.getEpochSecond() / NONCE_SLOT_SECONDS;
        return Base64URL.encode(nonceBytes(slot)).toString();
    }

    private boolean validNonce(String nonce, Instant now) {
        if (nonce == null) {
            return false;
        }
        byte[] presented = Base64URL.from(nonce).decode();
        long slot = now.getEpochSecond() / NONCE_SLOT_SECONDS;
        return MessageDigest.isEqual(presented, nonceBytes(slot)) || MessageDigest.isEqual(presented, nonceBytes(slot - 1));
    }

    private byte[] nonceBytes(long slot) {
        byte[] slotBytes = ByteBuffer.allocate(Long.BYTES).putLong(slot).array();
        byte[] mac = Arrays.copyOf(hmac(nonceKey, slotBytes), 16);
        return ByteBuffer.allocate(slotBytes.length + mac.length).put(slotBytes).put(mac).array();
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
