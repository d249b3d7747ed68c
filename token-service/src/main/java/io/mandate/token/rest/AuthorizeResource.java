package io.mandate.token.rest;

import io.mandate.token.authorize.Authorization;
import io.mandate.token.authorize.AuthorizationError;
import io.mandate.token.authorize.AuthorizationRequest;
import io.mandate.token.authorize.AuthorizationRequests;
import io.mandate.token.browser.BrowserSessions;
import io.mandate.token.browser.Pages;
import io.mandate.token.grant.Grant;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.ClientAuthenticator;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The authorization endpoint (RFC 6749 §3.1, authorization code with PKCE) and pushed authorization requests
 * (RFC 9126). A browser arrives here from the client; it leaves to the sign-in page, the consent page, or back
 * to the client with a code or an error.
 */
@Path("/oauth2")
public class AuthorizeResource {

    private final AuthorizationRequests requests;
    private final Authorization authorization;
    private final BrowserSessions sessions;
    private final ClientAuthenticator authenticator;
    private final Pages pages;

    AuthorizeResource(AuthorizationRequests requests, Authorization authorization, BrowserSessions sessions,
            ClientAuthenticator authenticator, Pages pages) {
        this.requests = requests;
        this.authorization = authorization;
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.pages = pages;
    }

    @GET
    @Path("/authorize")
    @Produces(MediaType.TEXT_HTML)
    public Response authorize(@Context UriInfo uri, @Context HttpServerRequest http,
            @CookieParam(BrowserSessions.COOKIE) String session) {
        TokenRequest parameters;
        try {
            parameters = TokenRequest.fromQuery(uri.getRequestUri().getRawQuery(), http);
        } catch (OAuthException e) { // the query itself is unreadable: nothing in it can be trusted
            throw AuthorizationError.onPage(e.error(), e.getMessage());
        }
        AuthorizationRequest request = requests.arrived(parameters); // refusals: PageExceptionMapper
        return pages.next(authorization.next(request, sessions.find(session), false));
    }

    /** RFC 9126: the client pushes its request first and sends the browser with only its {@code request_uri}. */
    @POST
    @Path("/par")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response pushed(String body, @Context HttpServerRequest http) {
        TokenRequest form = TokenRequest.from(body, http);
        String clientId = Grant.identified(authenticator.ifPresented(form)).agent().agentId;
        AuthorizationRequest request = requests.pushed(form, clientId);
        return Response.status(201).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(Map.of("request_uri", AuthorizationRequests.REQUEST_URI_PREFIX + request.requestId(),
                        "expires_in", Duration.between(Instant.now(), request.expiresAt()).toSeconds()))
                .build();
    }
}
