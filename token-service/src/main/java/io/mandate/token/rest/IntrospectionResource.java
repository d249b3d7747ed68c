package io.mandate.token.rest;

import io.mandate.token.service.RefreshTokenFamilies;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.ClientAuthenticator;
import io.mandate.token.service.TokenIntrospection;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * RFC 7662 introspection (access tokens) and RFC 7009 revocation (access tokens by jti, refresh tokens
 * with their whole family). Callers authenticate as agents
 * ({@code client_secret_basic} or {@code client_secret_post}) and see only their tenant's tokens.
 */
@Path("/oauth2")
public class IntrospectionResource {

    private final ClientAuthenticator authenticator;
    private final TokenIntrospection introspection;
    private final RefreshTokenFamilies refreshTokens;

    IntrospectionResource(ClientAuthenticator authenticator, TokenIntrospection introspection,
            RefreshTokenFamilies refreshTokens) {
        this.authenticator = authenticator;
        this.introspection = introspection;
        this.refreshTokens = refreshTokens;
    }

    @POST
    @Path("/introspect")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response introspect(String body, @Context HttpServerRequest http) {
        TokenRequest request = TokenRequest.from(body, http);
        var caller = authenticator.authenticate(request);
        String token = required(request);
        return Response.ok(introspection.introspect(token, caller.agent().tenantId))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.WILDCARD)
    public Response revoke(String body, @Context HttpServerRequest http) {
        TokenRequest request = TokenRequest.from(body, http);
        var caller = authenticator.authenticate(request);
        String token = required(request);
        if (token.startsWith(RefreshTokenFamilies.PREFIX)) {
            refreshTokens.revoke(token, caller.agent().agentId);
        } else {
            introspection.revoke(token, caller.agent());
        }
        return Response.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static String required(TokenRequest request) {
        String token = request.parameter("token");
        if (token == null) {
            throw OAuthException.invalidRequest("token is required");
        }
        return token;
    }
}
