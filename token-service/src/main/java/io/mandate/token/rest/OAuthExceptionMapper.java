package io.mandate.token.rest;

import io.mandate.token.oauth.OAuthException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** OAuth endpoints answer with RFC 6749 errors, never problem+json. */
public class OAuthExceptionMapper {

    @ServerExceptionMapper
    public Response refused(OAuthException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(e.body());
        e.headers().forEach(response::header);
        return response.build();
    }
}
