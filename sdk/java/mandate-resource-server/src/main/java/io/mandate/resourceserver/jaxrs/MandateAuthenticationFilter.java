package io.mandate.resourceserver.jaxrs;

import io.mandate.resourceserver.BadTokenException;
import io.mandate.resourceserver.JwksCache;
import io.mandate.resourceserver.MandatePrincipal;
import io.mandate.resourceserver.MandateResourceServer;
import io.mandate.resourceserver.MandateToken;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.net.URI;
import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lets a request reach a resource method only with a Mandate token that {@link MandateResourceServer} accepts and
 * whose scopes cover the method's {@link RequiresScopes}; methods and classes marked {@link PermitAll} are open.
 * The caller is the request's {@link SecurityContext} principal, a {@link MandatePrincipal}. Quarkus registers it
 * by itself (with {@code mandate.resource-server.*} configuration); elsewhere register an instance.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class MandateAuthenticationFilter implements ContainerRequestFilter {

    private final MandateResourceServer server;

    @Context
    ResourceInfo resourceInfo;

    @Inject
    public MandateAuthenticationFilter(MandateResourceServer server) {
        this.server = server;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        Class<?> type = resourceInfo == null ? null : resourceInfo.getResourceClass();
        if ((method != null && method.isAnnotationPresent(PermitAll.class))
                || (type != null && type.isAnnotationPresent(PermitAll.class))) {
            return;
        }
        URI uri = request.getUriInfo().getRequestUri();
        String url = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        try {
            MandateToken token = server.authorize(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                    request.getHeaderString("DPoP"), request.getMethod(), url, required(type, method));
            SecurityContext original = request.getSecurityContext();
            request.setSecurityContext(new CallerContext(new MandatePrincipal(token), original.isSecure()));
        } catch (BadTokenException e) {
            MandateResourceServer.Refusal refusal = server.refusal(e);
            Response.ResponseBuilder answer = Response.status(refusal.status()).type(MediaType.APPLICATION_JSON)
                    .entity(refusal.body());
            refusal.headers().forEach(answer::header);
            request.abortWith(answer.build());
        } catch (JwksCache.KeysUnavailableException e) {
            request.abortWith(Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .type(MediaType.APPLICATION_JSON).entity("{\"error\":\"temporarily_unavailable\"}").build());
        }
    }

    private static Set<String> required(Class<?> type, Method method) {
        Set<String> scopes = new LinkedHashSet<>();
        if (type != null && type.getAnnotation(RequiresScopes.class) != null) {
            scopes.addAll(List.of(type.getAnnotation(RequiresScopes.class).value()));
        }
        if (method != null && method.getAnnotation(RequiresScopes.class) != null) {
            scopes.addAll(List.of(method.getAnnotation(RequiresScopes.class).value()));
        }
        return scopes;
    }

    private record CallerContext(MandatePrincipal caller, boolean secure) implements SecurityContext {

        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String scope) {
            return caller.token().allows(scope);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return caller.token().dpopBound() ? "DPoP" : "Bearer";
        }
    }
}
