package io.mandate.token.service;

import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a token or secret: what is stored instead of it, or compared with it. */
public final class Sha256 {

    private Sha256() {
    }

    public static byte[] of(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** base64url without padding, as DPoP's {@code ath} and the refresh-token table want it. */
    public static String base64Url(String text) {
        return Base64URL.encode(of(text)).toString();
    }
}
