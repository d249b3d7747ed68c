package io.mandate.token.browser;

import io.mandate.api.TypeIds;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects every form against cross-site requests: the browser holds a random {@code mandate_csrf} cookie
 * (HttpOnly, so no script reads it) and each form carries an HMAC of it under a server key. Another site
 * can make the browser send the cookie, but cannot read it, so cannot compute the form's token.
 */
@ApplicationScoped
public class Csrf {

    public static final String COOKIE = "mandate_csrf";
    public static final String FIELD = "csrf";
    private static final Pattern WELL_FORMED = Pattern.compile("[0-9a-z]{20,64}");

    private final SecretKeySpec key;

    Csrf(TokenConfig config) {
        // A key of its own, derived from a secret the service already has.
        this.key = new SecretKeySpec(Sha256.of("mandate csrf " + config.keyEncryptionKey()), "HmacSHA256");
    }

    /** The cookie value to keep: the browser's own if well formed, otherwise a new one. */
    public String cookieValue(String existing) {
        return existing != null && WELL_FORMED.matcher(existing).matches() ? existing : TypeIds.randomToken(20);
    }

    /** What a form served to the browser holding {@code cookieValue} carries. */
    public String token(String cookieValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(cookieValue.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** True when the form's token was made for the cookie the browser sent. */
    public boolean valid(String cookieValue, String formToken) {
        if (cookieValue == null || formToken == null || !WELL_FORMED.matcher(cookieValue).matches()) {
            return false;
        }
        return MessageDigest.isEqual(token(cookieValue).getBytes(StandardCharsets.US_ASCII),
                formToken.getBytes(StandardCharsets.US_ASCII));
    }
}
