package io.mandate.client;

import java.time.Duration;

/** An OAuth endpoint's error answer (RFC 6749 §5.2): {@code invalid_client}, {@code invalid_scope}, {@code use_dpop_nonce}, ... */
public final class OAuthErrorException extends MandateException {

    public OAuthErrorException(int status, String error, String description, Duration retryAfter) {
        super(status, error, description, retryAfter, null);
    }
}
