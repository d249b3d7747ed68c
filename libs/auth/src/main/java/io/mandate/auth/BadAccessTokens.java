package io.mandate.auth;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Map;

/**
 * Refusals of a presented access token or DPoP proof: an {@link AuthenticationFailedException} (so Quarkus
 * treats it as failed authentication) carrying the RFC 6750 / RFC 9449 {@code WWW-Authenticate} challenge.
 * The message is safe to show to the client.
 */
final class BadAccessTokens {

    static final String CHALLENGE = "mandate.challenge";
    static final String DPOP_ALGORITHMS = "ES256 ES384 ES512 RS256 RS384 RS512 PS256 PS384 PS512 EdDSA";

    private BadAccessTokens() {
    }

    static AuthenticationFailedException invalidToken(String scheme, String message) {
        return refused(scheme, "invalid_token", message);
    }

    static AuthenticationFailedException invalidDpopProof(String message) {
        return refused("DPoP", "invalid_dpop_proof", message);
    }

    /** {@code Bearer error="invalid_token", error_description="..."}; a DPoP challenge also names the algorithms. */
    private static AuthenticationFailedException refused(String scheme, String error, String message) {
        String challenge = scheme + " error=\"" + error + "\", error_description=\"" + message.replace("\"", "'") + "\"";
        if ("DPoP".equals(scheme)) {
            challenge += ", algs=\"" + DPOP_ALGORITHMS + "\"";
        }
        return new AuthenticationFailedException(message, Map.of(CHALLENGE, challenge));
    }
}
