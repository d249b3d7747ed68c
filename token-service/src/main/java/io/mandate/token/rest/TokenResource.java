package io.mandate.token.rest;

import io.mandate.token.config.TokenConfig;
import io.mandate.token.grant.Grant;
import io.mandate.token.grant.Issued;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.ClientAuthenticator;
import io.mandate.token.service.DpopProofs;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The OAuth 2 token endpoint (RFC 6749 §3.2) for every {@link Grant}: it checks the DPoP proof,
 * authenticates the client once, hands both to the grant the request names and builds the response.
 */
@Path("/oauth2/token")
public class TokenResource {

    private final Map<String, Grant> grants;
    private final ClientAuthenticator authenticator;
    private final DpopProofs dpop;
    private final String tokenEndpoint;

    TokenResource(Instance<Grant> grants, ClientAuthenticator authenticator, DpopProofs dpop, TokenConfig config) {
        this.grants = grants.stream().collect(Collectors.toUnmodifiableMap(Grant::type, Function.identity()));
        this.authenticator = authenticator;
        this.dpop = dpop;
        this.tokenEndpoint = config.issuer() + "/oauth2/token";
    }

    /**
     * Every token request {@link TokenRoute} did not answer from memory, on a worker thread: the form was
     * read there.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@Context RoutingContext http) {
        TokenRequest request = TokenRoute.request(http);
        String grantType = request.grantType();
        if (grantType == null) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        Grant grant = grants.get(grantType);
        if (grant == null) {
            throw new OAuthException(400, "unsupported_grant_type", "grant_type '" + grantType + "' is not supported");
        }
        String jkt = request.dpop() == null ? null : dpop.verify(request.dpop(), "POST", tokenEndpoint, null);
        Issued issued = grant.issue(request, authenticator.ifPresented(request), jkt);
        Map<String, Object> answer = body(issued);
        if (grant.issuedTokenType() != null) {
            answer.put("issued_token_type", grant.issuedTokenType());
        }
        Response.ResponseBuilder response = Response.ok(answer)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache");
        issued.allowance().headers().forEach(response::header);
        if (jkt != null) {
            response.header("DPoP-Nonce", dpop.nonce());
        }
        return response.build();
    }

    /** The RFC 6749 §5.1 response (also the {@code token} member of the seed flows' answers). */
    static Map<String, Object> body(Issued issued) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", issued.access().jwt());
        response.put("token_type", issued.access().tokenType());
        response.put("expires_in", issued.access().expiresIn());
        response.put("scope", String.join(" ", issued.access().scopes()));
        if (issued.refreshToken() != null) {
            response.put("refresh_token", issued.refreshToken());
        }
        if (issued.authorizationDetails() != null) {
            response.put("authorization_details", issued.authorizationDetails());
        }
        return response;
    }
}
