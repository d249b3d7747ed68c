package io.mandate.permissions;

/** A scope or permission string that is not an RFC 6749 scope token (or is longer than Mandate keeps). */
public class BadScopeException extends IllegalArgumentException {

    private final String scope;

    public BadScopeException(String scope, String reason) {
        super("invalid scope '" + scope + "': " + reason);
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }
}
