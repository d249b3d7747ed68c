package io.mandate.client;

/**
 * An RFC 8693 token exchange: most often a delegation token a person granted the agent, turned into an access token
 * whose {@code sub} is the person and whose {@code act} names the agent.
 *
 * @param subjectToken     what is exchanged
 * @param subjectTokenType its type URI
 * @param scope            narrower scopes, space-separated, or null for all the subject token allows
 * @param resource         the API the token is for (RFC 8707), or null for the default audience
 */
public record TokenExchange(String subjectToken, String subjectTokenType, String scope, String resource) {

    /** Mandate's delegation token type. */
    public static final String DELEGATION = "urn:mandate:params:oauth:token-type:delegation";

    public TokenExchange {
        if (subjectToken == null || subjectToken.isBlank() || subjectTokenType == null || subjectTokenType.isBlank()) {
            throw new IllegalArgumentException("a token exchange needs a subject token and its type");
        }
    }

    /** Exchanges the delegation token of a grant (from delegation-service) for everything it allows. */
    public static TokenExchange delegation(String delegationToken) {
        return new TokenExchange(delegationToken, DELEGATION, null, null);
    }

    public TokenExchange scope(String narrower) {
        return new TokenExchange(subjectToken, subjectTokenType, narrower, resource);
    }

    public TokenExchange resource(String uri) {
        return new TokenExchange(subjectToken, subjectTokenType, scope, uri);
    }

    @Override
    public String toString() {
        return "TokenExchange[" + subjectTokenType + ", scope " + scope + ", resource " + resource + "]";
    }
}
