package io.mandate.token.rest;

import io.mandate.token.authorize.Backchannel;
import io.mandate.token.grant.CibaGrant;
import io.mandate.token.grant.Grant;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.ClientAuthenticator;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The CIBA backchannel authentication endpoint (poll mode): an authenticated agent asks for a person's
 * approval; the answer is an {@code auth_req_id} to poll the token endpoint with ({@link CibaGrant}).
 */
@Path("/oauth2/bc-authorize")
public class BackchannelResource {

    private final Backchannel backchannel;
    private final ClientAuthenticator authenticator;

    BackchannelResource(Backchannel backchannel, ClientAuthenticator authenticator) {
        this.backchannel = backchannel;
        this.authenticator = authenticator;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response start(String body, @Context HttpServerRequest http) {
        TokenRequest request = TokenRequest.from(body, http);
        var agent = Grant.confidential(authenticator.ifPresented(request), CibaGrant.GRANT_TYPE).agent();
        Backchannel.Started started = backchannel.start(agent, request);
        return Response.ok(Map.of("auth_req_id", started.authReqId(), "expires_in", started.expiresIn(),
                "interval", started.interval())).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
