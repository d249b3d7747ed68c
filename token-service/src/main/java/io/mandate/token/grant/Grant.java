package io.mandate.token.grant;

import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.ClientAuthenticator.AuthenticatedClient;
import java.util.Optional;

/**
 * One {@code grant_type} of the token endpoint. The endpoint reads the request, checks a DPoP proof and
 * authenticates the client once for every grant, then hands them here; it builds the response too.
 */
public interface Grant {

    /** The {@code grant_type} value this grant answers. */
    String type();

    /**
     * The tokens for {@code request}.
     *
     * @param client the client the request authenticated, or empty when it presented no client authentication
     * @param dpopJkt the thumbprint of the request's checked DPoP proof, or null
     */
    Issued issue(TokenRequest request, Optional<AuthenticatedClient> client, String dpopJkt);

    /** RFC 8693 §2.2.1 {@code issued_token_type}, for a grant whose response names it; null for the others. */
    default String issuedTokenType() {
        return null;
    }

    /** The client a grant cannot do without, public ones included: {@code invalid_client} when the request named none. */
    static AuthenticatedClient identified(Optional<AuthenticatedClient> client) {
        return client.orElseThrow(() -> OAuthException.invalidClient(false));
    }

    /** A client that proved who it is: a public client is {@code unauthorized_client} for this grant. */
    static AuthenticatedClient confidential(Optional<AuthenticatedClient> client, String grantType) {
        AuthenticatedClient confidential = identified(client);
        if (confidential.credentialId() == null) {
            throw new OAuthException(400, "unauthorized_client", "a public client may not use " + grantType);
        }
        return ownAuthority(confidential, grantType);
    }

    /**
     * Refuses a client that registered itself (a metadata document, RFC 7591) a grant of its own authority:
     * it holds {@code *} only so that what a person consents to bounds its tokens.
     */
    static AuthenticatedClient ownAuthority(AuthenticatedClient client, String grantType) {
        if (client.agent().isSelfRegistered()) {
            throw new OAuthException(400, "unauthorized_client",
                    "a client that registered itself gets tokens only through a person's consent, not by " + grantType);
        }
        return client;
    }
}
