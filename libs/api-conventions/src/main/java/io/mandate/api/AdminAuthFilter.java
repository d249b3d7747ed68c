package io.mandate.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks the bootstrap platform-admin credential on {@link AdminOnly} resources. The comparison is
 * constant-time and the presented value is never echoed or logged.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter implements ContainerRequestFilter {

    private final byte[] expected;

    AdminAuthFilter(@ConfigProperty(name = "mandate.admin.bootstrap-token") String bootstrapToken) {
        this.expected = bootstrapToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            request.abortWith(ProblemMappers.respond(ProblemException.unauthorized(
                    "an admin bearer token is required").problem()));
            return;
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, presented)) {
            request.abortWith(ProblemMappers.respond(ProblemException.unauthorized(
                    "the bearer token is not valid").problem()));
        }
    }
}
