package io.mandate.token.rest;

/** A refused OAuth request, answered as RFC 6749 §5.2 {@code {error, error_description}}. */
public class OAuthException extends RuntimeException {

    private final int status;
    private final String error;
    private final boolean basicChallenge;

    public OAuthException(int status, String error, String description) {
        this(status, error, description, false);
    }

    private OAuthException(int status, String error, String description, boolean basicChallenge) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.basicChallenge = basicChallenge;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(400, "invalid_request", description);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(400, "invalid_scope", description);
    }

    /** Client authentication failed: one description for every cause, so it is no oracle. */
    public static OAuthException invalidClient(boolean usedBasic) {
        return new OAuthException(401, "invalid_client", "client authentication failed", usedBasic);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public boolean basicChallenge() {
        return basicChallenge;
    }
}
