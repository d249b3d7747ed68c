package io.mandate.token.rest;

import io.mandate.eventing.EventNotAcknowledgedException;
import io.mandate.token.grant.ClientCredentialsGrant;
import io.mandate.token.grant.TokenRequest;
import io.mandate.token.service.AccessTokens;
import io.vertx.core.http.HttpServerRequest;
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

/** The OAuth 2 token endpoint (RFC 6749 §3.2). */
@Path("/oauth2/token")
public class TokenResource {

    private final ClientCredentialsGrant clientCredentials;

    TokenResource(ClientCredentialsGrant clientCredentials) {
        this.clientCredentials = clientCredentials;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(String body, @Context HttpHeaders headers, @Context HttpServerRequest http) {
        TokenRequest request = TokenRequest.from(body, headers, http);
        String grantType = request.grantType();
        if (grantType == null) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        if (!ClientCredentialsGrant.GRANT_TYPE.equals(grantType)) {
            throw new OAuthException(400, "unsupported_grant_type", "grant_type '" + grantType + "' is not supported");
        }
        AccessTokens.AccessToken token;
        try {
            token = clientCredentials.grant(request);
        } catch (EventNotAcknowledgedException e) {
            throw new OAuthException(503, "temporarily_unavailable", "the token could not be recorded; retry");
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", token.jwt());
        response.put("token_type", "Bearer");
        response.put("expires_in", token.expiresIn());
        response.put("scope", String.join(" ", token.scopes()));
        return Response.ok(response).header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }
}
