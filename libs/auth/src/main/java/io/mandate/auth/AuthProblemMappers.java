package io.mandate.auth;

import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.api.ProblemMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Authentication failures as problem+json, saying nothing about why a token was not accepted. */
public class AuthProblemMappers {

    @ServerExceptionMapper
    public Response failed(AuthenticationFailedException e) {
        return ProblemMappers.respond(ProblemException.unauthorized("the bearer token is not valid").problem());
    }

    @ServerExceptionMapper
    public Response missing(UnauthorizedException e) {
        return ProblemMappers.respond(ProblemException.unauthorized("a bearer token is required").problem());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        Problem problem = ProblemException.forbidden("forbidden", "the caller may not do this").problem();
        return ProblemMappers.respond(problem);
    }
}
