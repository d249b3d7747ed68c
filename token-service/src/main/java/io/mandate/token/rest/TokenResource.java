package io.mandate.token.rest;

import io.mandate.token.config.TokenConfig;
import io.mandate.token.grant.ClientCredentialsGrant;
import io.mandate.token.grant.Issued;
import io.mandate.token.grant.RefreshTokens;
import io.mandate.token.grant.TokenExchangeGrant;
import io.mandate.token.grant.TokenRequest;
import io.mandate.token.service.ClientAuthenticator;
import io.mandate.token.service.DpopProofs;
import io.vertx.ext.web.RoutingContext;
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

/**
 * The OAuth 2 token endpoint (RFC 6749 §3.2): client_credentials, refresh_token and token exchange
 * (RFC 8693, delegation), DPoP-bound on request.
 */
@Path("/oauth2/token")
public class TokenResource {

    private final ClientCredentialsGrant clientCredentials;
    private final RefreshTokens refreshTokens;
    private final TokenExchangeGrant tokenExchange;
    private final ClientAuthenticator authenticator;
    private final DpopProofs dpop;
    private final String tokenEndpoint;

    TokenResource(ClientCredentialsGrant clientCredentials, RefreshTokens refreshTokens,
            TokenExchangeGrant tokenExchange, ClientAuthenticator authenticator, DpopProofs dpop, TokenConfig config) {
        this.clientCredentials = clientCredentials;
        this.refreshTokens = refreshTokens;
        this.tokenExchange = tokenExchange;
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
        return tokenFromDatabase(TokenRoute.request(http));
    }

    private Response tokenFromDatabase(TokenRequest request) {
        String grantType = request.grantType();
        if (grantType == null) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        String jkt = request.dpop() == null ? null : dpop.verify(request.dpop(), "POST", tokenEndpoint, null);
        Issued issued = switch (grantType) {
            case ClientCredentialsGrant.GRANT_TYPE -> clientCredentials.grant(request, jkt);
            case RefreshTokens.GRANT_TYPE -> refresh(request, jkt);
            case TokenExchangeGrant.GRANT_TYPE -> tokenExchange.grant(request, jkt);
            default -> throw new OAuthException(400, "unsupported_grant_type",
                    "grant_type '" + grantType + "' is not supported");
        };
        return answer(issued, grantType, jkt);
    }

    private Response answer(Issued issued, String grantType, String jkt) {
        Map<String, Object> answer = body(issued);
        if (TokenExchangeGrant.GRANT_TYPE.equals(grantType)) {
            answer.put("issued_token_type", TokenExchangeGrant.ACCESS_TOKEN_TYPE); // RFC 8693 §2.2.1
        }
        Response.ResponseBuilder response = Response.ok(answer)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache");
        issued.allowance().headers().forEach(response::header);
        if (jkt != null) {
            response.header("DPoP-Nonce", dpop.nonce());
        }
        return response.build();
    }

    private Issued refresh(TokenRequest request, String jkt) {
        String token = request.parameter("refresh_token");
        if (token == null) {
            throw OAuthException.invalidRequest("refresh_token is required");
        }
        var client = authenticator.authenticate(request);
        return refreshTokens.rotate(token, client.agent().agentId, request.parameter("scope"), jkt, request);
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
        return response;
    }
}
