package io.mandate.token.authorize;

/**
 * An authorization request refused (RFC 6749 §4.1.2.1). Once the client and its redirect URI are known the
 * answer goes back there ({@code redirectUri} set); before that it is shown on a page, never redirected.
 */
public class AuthorizationError extends RuntimeException {

    private final String error;
    private final String redirectUri;
    private final String state;

    private AuthorizationError(String error, String description, String redirectUri, String state) {
        super(description, null, false, false);
        this.error = error;
        this.redirectUri = redirectUri;
        this.state = state;
    }

    /** Shown on a page: the client or its redirect URI cannot be trusted with the answer. */
    public static AuthorizationError onPage(String error, String description) {
        return new AuthorizationError(error, description, null, null);
    }

    /** Sent back to the client's redirect URI, with its {@code state}. */
    public static AuthorizationError redirected(String error, String description, String redirectUri, String state) {
        return new AuthorizationError(error, description, redirectUri, state);
    }

    public String error() {
        return error;
    }

    /** Where the error goes, or null when it is shown on a page. */
    public String redirectUri() {
        return redirectUri;
    }

    public String state() {
        return state;
    }
}
