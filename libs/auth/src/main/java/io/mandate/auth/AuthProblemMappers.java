package io.mandate.auth;

import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.api.ProblemMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Authentication failures as problem+json with an RFC 6750 / RFC 9449 challenge. A token of token-service
 * is told what is wrong with it; an enterprise IdP's failure says nothing about why.
 */
public class AuthProblemMappers {

    @ServerExceptionMapper
    public Response failed(AuthenticationFailedException e) {
        String challenge = e.getAttribute(BadAccessTokens.CHALLENGE);
        return challenge == null ? unauthorized("the bearer token is not valid", "Bearer error=\"invalid_token\"")
                : unauthorized(e.getMessage(), challenge);
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

    private static Response unauthorized(String detail, String challenge) {
        return Response.fromResponse(ProblemMappers.respond(ProblemException.unauthorized(detail).problem()))
                .header(HttpHeaders.WWW_AUTHENTICATE, null).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }
}
