package io.mandate.token.rest;

import io.mandate.token.browser.Csrf;
import io.mandate.token.browser.Pages;
import io.mandate.token.client.IdentityClient;
import io.mandate.token.client.ServiceRefused;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.service.AddressLimiter;
import io.mandate.token.service.ProjectionSignal;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The sign-up page: a person opens an invitation link (or the page of a tenant open to sign-up), chooses a
 * username and password, and identity-service makes the account (token-service asks as its
 * {@code person_registrar}). Attempts are limited per address; the account's {@code human.registered} is
 * its audit record.
 */
@Path("/signup")
public class SignUpPages {

    private static final Duration ACCOUNT_WAIT = Duration.ofSeconds(10);

    private final IdentityClient identity;
    private final AddressLimiter limiter;
    private final HumanLoginRepository humans;
    private final ProjectionSignal signal;
    private final Pages pages;

    SignUpPages(IdentityClient identity, AddressLimiter limiter, HumanLoginRepository humans, ProjectionSignal signal,
            Pages pages) {
        this.identity = identity;
        this.limiter = limiter;
        this.humans = humans;
        this.signal = signal;
        this.pages = pages;
    }

    @GET
    public Response form(@QueryParam("invitation") String invitation, @QueryParam("tenant") String tenant,
            @CookieParam(Csrf.COOKIE) String csrf) {
        return page(200, invitation, tenant, "", "", null, csrf);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signUp(@FormParam("invitation") String invitation, @FormParam("tenant") String tenant,
            @FormParam("username") String username, @FormParam("email") String email,
            @FormParam("password") String password, @FormParam(Csrf.FIELD) String token,
            @CookieParam(Csrf.COOKIE) String csrf, @Context HttpServerRequest http) {
        if (!pages.fromOurForm(csrf, token)) {
            return page(403, invitation, tenant, username, email, "This form has expired. Please try again.", csrf);
        }
        try {
            limiter.acquire("person", http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress());
            String userId = identity.signUp(blankToNull(invitation), blankToNull(tenant), username, email, password);
            signal.awaitPresent("human:" + userId, () -> humans.byId(userId), ACCOUNT_WAIT);
        } catch (OAuthException e) {
            return page(e.status(), invitation, tenant, username, email, "Too many sign-ups from here. "
                    + e.getMessage() + ".", csrf);
        } catch (ServiceRefused e) {
            return page(e.status() / 100 == 4 ? e.status() : 503, invitation, tenant, username, email, e.getMessage(),
                    csrf);
        }
        Map<String, Object> data = new HashMap<>();
        data.put("done", true);
        data.put("username", username);
        return pages.render(201, new Pages.Page("signup.html", data), csrf);
    }

    private Response page(int status, String invitation, String tenant, String username, String email, String error,
            String csrf) {
        Map<String, Object> data = new HashMap<>();
        data.put("done", false);
        data.put("invitation", invitation == null ? "" : invitation);
        data.put("tenant", tenant == null ? "" : tenant);
        data.put("username", username == null ? "" : username);
        data.put("email", email == null ? "" : email);
        data.put("error", error == null ? "" : error);
        return pages.render(status, new Pages.Page("signup.html", data), csrf);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
