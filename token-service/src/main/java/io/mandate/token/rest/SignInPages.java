package io.mandate.token.rest;

import io.mandate.api.ProblemException;
import io.mandate.token.authorize.Authorization;
import io.mandate.token.authorize.AuthorizationRequest;
import io.mandate.token.authorize.AuthorizationRequests;
import io.mandate.token.authorize.RedirectUris;
import io.mandate.token.browser.BrowserSessions;
import io.mandate.token.browser.Csrf;
import io.mandate.token.browser.DeviceSignIns;
import io.mandate.token.browser.EnterpriseSignIn;
import io.mandate.token.browser.Pages;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.repository.BrowserSessionRepository;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.service.HumanLogin;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The sign-in page (local password, or the enterprise IdP) and signing out. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInPages {

    private final HumanLogin login;
    private final BrowserSessions sessions;
    private final AuthorizationRequests requests;
    private final Authorization authorization;
    private final EnterpriseSignIn enterprise;
    private final Pages pages;

    SignInPages(HumanLogin login, BrowserSessions sessions, AuthorizationRequests requests, Authorization authorization,
            EnterpriseSignIn enterprise, Pages pages) {
        this.enterprise = enterprise;
        this.login = login;
        this.sessions = sessions;
        this.requests = requests;
        this.authorization = authorization;
        this.pages = pages;
    }

    @GET
    @Path("/signin")
    public Response form(@QueryParam("request") String requestId, @QueryParam("device") String device,
            @CookieParam(Csrf.COOKIE) String csrf) {
        return page(200, requestId, DeviceSignIns.normalized(device), null, null, csrf);
    }

    @POST
    @Path("/signin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("username") String username, @FormParam("password") String password,
            @FormParam("request") String requestId, @FormParam("device") String typedDevice,
            @FormParam(Csrf.FIELD) String token, @CookieParam(Csrf.COOKIE) String csrf, @Context HttpServerRequest http) {
        String device = DeviceSignIns.normalized(typedDevice);
        if (!pages.fromOurForm(csrf, token)) {
            return page(403, requestId, device, username, "This form has expired. Please sign in again.", csrf);
        }
        if (username == null || username.isBlank() || password == null || username.length() > 64 || password.length() > 256) {
            return page(400, requestId, device, username, "Enter your username and password.", csrf);
        }
        HumanLoginRepository.Human human;
        try {
            human = login.signIn(username.strip(), password, http.remoteAddress().hostAddress(),
                    http.getHeader(HttpHeaders.USER_AGENT));
        } catch (ProblemException e) {
            return page(401, requestId, device, username, "The username or password is not valid.", csrf);
        } catch (OAuthException e) {
            return page(e.status(), requestId, device, username, "Too many failed attempts. " + e.getMessage() + ".", csrf);
        }
        return signedIn(human, requestId, device);
    }

    /** "Sign in with your organisation": off to the enterprise IdP. */
    @GET
    @Path("/signin/idp")
    public Response enterprise(@QueryParam("request") String requestId, @CookieParam(Csrf.COOKIE) String csrf) {
        if (!enterprise.enabled()) {
            return pages.message(404, "Not available", "No organisation sign-in is configured.", csrf);
        }
        try {
            return pages.seeOther(enterprise.start(requests.waiting(requestId).map(AuthorizationRequest::requestId)
                    .orElse(null)));
        } catch (EnterpriseSignIn.SignInRefused e) {
            return page(503, requestId, null, null, e.getMessage(), csrf);
        }
    }

    /** Back from the enterprise IdP (its redirect URI). */
    @GET
    @Path("/signin/idp/callback")
    public Response enterpriseReturned(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @CookieParam(Csrf.COOKIE) String csrf, @Context HttpServerRequest http) {
        if (error != null) {
            return page(401, null, null, null, "Your organisation's sign-in did not sign you in (" + error + ").", csrf);
        }
        EnterpriseSignIn.SignedIn signedIn;
        try {
            signedIn = enterprise.finish(code, state);
        } catch (EnterpriseSignIn.SignInRefused e) {
            login.signInFailed("idp_refused", http.remoteAddress().hostAddress(), http.getHeader(HttpHeaders.USER_AGENT));
            return page(401, null, null, null, e.getMessage(), csrf);
        }
        login.signedIn(signedIn.person(), "idp", http.remoteAddress().hostAddress(), http.getHeader(HttpHeaders.USER_AGENT));
        return signedIn(signedIn.person(), signedIn.requestId(), null);
    }

    /**
     * A session for {@code human}; then the command line's code they came to approve, the authorization request they
     * were on, or their account page.
     */
    private Response signedIn(HumanLoginRepository.Human human, String requestId, String device) {
        String cookie = sessions.start(human);
        var sessionCookie = pages.cookie(BrowserSessions.COOKIE, cookie, (int) sessions.lifetimeSeconds());
        if (device != null) {
            return pages.seeOther("/device?code=" + device, sessionCookie);
        }
        Optional<AuthorizationRequest> request = requests.waiting(requestId);
        if (request.isEmpty()) {
            return pages.seeOther("/account", sessionCookie);
        }
        var session = new BrowserSessionRepository.Session(human.userId(), human.tenantId(), Instant.now());
        return pages.next(authorization.next(request.get(), Optional.of(session), true), sessionCookie);
    }

    @POST
    @Path("/signout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@FormParam(Csrf.FIELD) String token, @CookieParam(Csrf.COOKIE) String csrf,
            @CookieParam(BrowserSessions.COOKIE) String session) {
        if (!pages.fromOurForm(csrf, token)) {
            return pages.message(403, "Not signed out", "This form has expired. Reload the page and try again.", csrf);
        }
        sessions.end(session);
        return pages.seeOther("/signin", pages.expired(BrowserSessions.COOKIE));
    }

    private Response page(int status, String requestId, String device, String username, String error, String csrf) {
        Optional<AuthorizationRequest> request = requests.waiting(requestId);
        Map<String, Object> data = new HashMap<>();
        data.put("request", request.map(AuthorizationRequest::requestId).orElse(""));
        data.put("client", request.flatMap(r -> requests.client(r.clientId())).map(c -> c.name == null ? c.agentId : c.name)
                .orElse(""));
        data.put("device", device == null ? "" : device);
        data.put("username", username == null ? "" : username);
        data.put("error", error == null ? "" : error);
        data.put("idp", enterprise.enabled() ? enterprise.name() : "");
        return pages.render(status, new Pages.Page("signin.html", data,
                request.map(r -> Set.of(RedirectUris.formTarget(r.redirectUri()))).orElse(Set.of())), csrf);
    }
}
