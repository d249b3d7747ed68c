package io.mandate.token.browser;

import io.mandate.token.authorize.Authorization;
import io.mandate.token.authorize.AuthorizationCodes;
import io.mandate.token.authorize.AuthorizationError;
import io.mandate.token.config.TokenConfig;
import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Renders the pages people see (Qute templates under {@code templates/pages/}) with the headers every one of
 * them sends: never cached, never framed, a Content-Security-Policy that allows this server's stylesheet and
 * forms only (plus the one place a form may lead on to), and the CSRF cookie its forms are bound to.
 */
@ApplicationScoped
public class Pages {

    private final Engine engine;
    private final Csrf csrf;
    private final AuthorizationCodes codes;
    private final boolean secure;

    Pages(Engine engine, Csrf csrf, AuthorizationCodes codes, TokenConfig config) {
        this.engine = engine;
        this.csrf = csrf;
        this.codes = codes;
        this.secure = config.issuer().startsWith("https://");
    }

    /** A page to render, with what its template reads. */
    public record Page(String template, Map<String, Object> data, Set<String> formTargets) {

        public Page(String template, Map<String, Object> data) {
            this(template, data, Set.of());
        }
    }

    /**
     * Renders {@code page} with status {@code status} for a browser that sent {@code csrfCookie} (may be null):
     * the template also reads {@code csrf}, the token its forms carry.
     */
    public Response render(int status, Page page, String csrfCookie) {
        String cookie = csrf.cookieValue(csrfCookie);
        TemplateInstance template = engine.getTemplate("pages/" + page.template()).instance();
        page.data().forEach(template::data);
        template.data("csrf", csrf.token(cookie));
        Response.ResponseBuilder response = Response.status(status).type("text/html; charset=utf-8")
                .entity(template.render());
        secured(response, page.formTargets());
        if (!cookie.equals(csrfCookie)) {
            response.cookie(cookie(Csrf.COOKIE, cookie, -1));
        }
        return response.build();
    }

    /** A 303 to {@code location} (after a form: the browser follows with a GET). */
    public Response seeOther(String location, NewCookie... cookies) {
        Response.ResponseBuilder response = Response.seeOther(URI.create(location)).cookie(cookies);
        secured(response, Set.of());
        return response.build();
    }

    /** A page with a heading and a sentence: errors, and what a person needs to know. */
    public Response message(int status, String title, String text, String csrfCookie) {
        return render(status, new Page("message.html", Map.of("title", title, "text", text)), csrfCookie);
    }

    /** Where an authorization request goes next: the client (its answer), the sign-in page or the consent page. */
    public Response next(Authorization.Next next, NewCookie... cookies) {
        if (next instanceof Authorization.Answer answer) {
            return seeOther(answer.location(), cookies);
        }
        String page = next instanceof Authorization.SignIn ? "/signin" : "/consent";
        return seeOther(page + "?request=" + next.request().requestId(), cookies);
    }

    /** A refused authorization request: back to the client when it can be trusted with the answer, else a page. */
    public Response refused(AuthorizationError error) {
        if (error.redirectUri() != null) {
            return seeOther(codes.error(error.redirectUri(), error.state(), error.error(), error.getMessage()));
        }
        return message(400, "This sign-in request cannot go on", error.getMessage() + " (" + error.error() + ")", null);
    }

    /** True when the form came from a page this browser was served. */
    public boolean fromOurForm(String csrfCookie, String formToken) {
        return csrf.valid(csrfCookie, formToken);
    }

    /** An HttpOnly, SameSite=Lax cookie for the whole site; Secure when the issuer is served over TLS. */
    public NewCookie cookie(String name, String value, int maxAgeSeconds) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge(maxAgeSeconds).build();
    }

    /** A cookie that tells the browser to forget {@code name}. */
    public NewCookie expired(String name) {
        return cookie(name, "", 0);
    }

    private static void secured(Response.ResponseBuilder response, Set<String> formTargets) {
        Set<String> formAction = new LinkedHashSet<>();
        formAction.add("'self'");
        formAction.addAll(formTargets);
        response.header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' https:; "
                        + "form-action " + String.join(" ", formAction) + "; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }
}
