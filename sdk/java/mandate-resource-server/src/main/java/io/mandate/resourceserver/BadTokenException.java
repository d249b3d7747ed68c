package io.mandate.resourceserver;

import java.util.Collection;
import java.util.List;

/**
 * A request refused for its token: the RFC 6750 / RFC 9449 error code, a description safe to show the caller, the
 * HTTP status (401, or 403 for {@code insufficient_scope}), and what the challenge should add (a DPoP nonce, the
 * scopes that were missing).
 */
public final class BadTokenException extends Exception {

    private final String error;
    private final int status;
    private final List<String> requiredScopes;
    private final String dpopNonce;

    private BadTokenException(String error, String description, int status, List<String> requiredScopes,
            String dpopNonce) {
        super(description);
        this.error = error;
        this.status = status;
        this.requiredScopes = requiredScopes;
        this.dpopNonce = dpopNonce;
    }

    /** No token where one is needed (RFC 6750 §3.1: a challenge without an error code). */
    public static BadTokenException missing() {
        return new BadTokenException(null, "an access token is required", 401, List.of(), null);
    }

    public static BadTokenException invalidToken(String description) {
        return new BadTokenException("invalid_token", description, 401, List.of(), null);
    }

    public static BadTokenException invalidRequest(String description) {
        return new BadTokenException("invalid_request", description, 400, List.of(), null);
    }

    public static BadTokenException invalidDpopProof(String description) {
        return new BadTokenException("invalid_dpop_proof", description, 401, List.of(), null);
    }

    public static BadTokenException useDpopNonce(String nonce) {
        return new BadTokenException("use_dpop_nonce", "the DPoP proof must carry the server's nonce", 401, List.of(),
                nonce);
    }

    public static BadTokenException insufficientScope(Collection<String> required) {
        return new BadTokenException("insufficient_scope", "the access token lacks " + String.join(" ", required), 403,
                List.copyOf(required), null);
    }

    /** The error code, or null when no token came at all. */
    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    public int status() {
        return status;
    }

    /** The scopes a 403 asks for. */
    public List<String> requiredScopes() {
        return requiredScopes;
    }

    /** The nonce to send in {@code DPoP-Nonce}, or null. */
    public String dpopNonce() {
        return dpopNonce;
    }
}
