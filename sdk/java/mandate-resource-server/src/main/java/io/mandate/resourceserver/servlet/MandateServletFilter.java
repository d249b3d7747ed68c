package io.mandate.resourceserver.servlet;

import io.mandate.resourceserver.BadTokenException;
import io.mandate.resourceserver.Json;
import io.mandate.resourceserver.JwksCache;
import io.mandate.resourceserver.MandatePrincipal;
import io.mandate.resourceserver.MandateResourceServer;
import io.mandate.resourceserver.MandateToken;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;

/**
 * A Servlet filter (Spring Boot, Jetty, Tomcat) that lets a request through only with a Mandate token that
 * {@link MandateResourceServer} accepts and whose scopes cover {@code requiredScopes}. It serves the RFC 9728
 * metadata at its well-known path itself. The caller is {@link HttpServletRequest#getUserPrincipal()}, a
 * {@link MandatePrincipal}, and the request attribute {@link #TOKEN}.
 */
public class MandateServletFilter implements Filter {

    /** The request attribute holding the checked {@link MandateToken}. */
    public static final String TOKEN = MandateToken.class.getName();

    private final MandateResourceServer server;
    private final List<String> requiredScopes;

    public MandateServletFilter(MandateResourceServer server, String... requiredScopes) {
        this.server = server;
        this.requiredScopes = List.of(requiredScopes);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if ("GET".equals(request.getMethod()) && server.metadata().path().equals(request.getRequestURI())) {
            write(response, 200, Json.write(server.metadata().document()));
            return;
        }
        try {
            MandateToken token = server.authorize(request.getHeader("Authorization"), request.getHeader("DPoP"),
                    request.getMethod(), request.getRequestURL().toString(), requiredScopes);
            request.setAttribute(TOKEN, token);
            chain.doFilter(new Caller(request, new MandatePrincipal(token)), response);
        } catch (BadTokenException e) {
            MandateResourceServer.Refusal refusal = server.refusal(e);
            refusal.headers().forEach(response::setHeader);
            write(response, refusal.status(), refusal.body());
        } catch (JwksCache.KeysUnavailableException e) {
            response.setHeader("Retry-After", "5");
            write(response, 503, "{\"error\":\"temporarily_unavailable\"}");
        }
    }

    private static void write(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static final class Caller extends HttpServletRequestWrapper {

        private final MandatePrincipal principal;

        Caller(HttpServletRequest request, MandatePrincipal principal) {
            super(request);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return principal.getName();
        }

        /** A "role" is a scope here: true when the token's scopes cover it. */
        @Override
        public boolean isUserInRole(String scope) {
            return principal.token().allows(scope);
        }

        @Override
        public String getAuthType() {
            return principal.token().dpopBound() ? "DPoP" : "Bearer";
        }
    }
}
