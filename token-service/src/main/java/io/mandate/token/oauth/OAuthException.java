package io.mandate.token.oauth;

import java.util.Map;

/**
 * A refused OAuth request, answered as RFC 6749 §5.2 {@code {error, error_description}} with the
 * response headers the error calls for ({@code WWW-Authenticate}, {@code DPoP-Nonce}, {@code Retry-After}).
 */
public class OAuthException extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, String> headers;

    public OAuthException(int status, String error, String description) {
        this(status, error, description, Map.of());
    }

    public OAuthException(int status, String error, String description, Map<String, String> headers) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = headers;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(400, "invalid_request", description);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(400, "invalid_scope", description);
    }

    /** RFC 6749 §5.2: the grant (refresh token, assertion, delegation) is invalid, expired or revoked. */
    public static OAuthException invalidGrant(String description) {
        return new OAuthException(400, "invalid_grant", description);
    }

    /** RFC 8707 §2: a requested resource or audience this client may not have. */
    public static OAuthException invalidTarget(String description) {
        return new OAuthException(400, "invalid_target", description);
    }

    /** RFC 9449 §5: the DPoP proof is missing something, stale, replayed or for another request. */
    public static OAuthException invalidDpopProof(String description) {
        return new OAuthException(400, "invalid_dpop_proof", description);
    }

    /** RFC 9449 §8: the proof must carry this server nonce; the client retries with it. */
    public static OAuthException useDpopNonce(String nonce) {
        return new OAuthException(400, "use_dpop_nonce", "the DPoP proof must carry the server's nonce",
                Map.of("DPoP-Nonce", nonce));
    }

    /** Client authentication failed: one description for every cause, so it is no oracle. */
    public static OAuthException invalidClient(boolean usedBasic) {
        return new OAuthException(401, "invalid_client", "client authentication failed",
                usedBasic ? Map.of("WWW-Authenticate", "Basic realm=\"mandate\"") : Map.of());
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The RFC 6749 §5.2 error response body. */
    public Map<String, String> body() {
        return Map.of("error", error, "error_description", getMessage());
    }
}
