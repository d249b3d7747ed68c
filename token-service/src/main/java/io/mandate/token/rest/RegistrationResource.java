package io.mandate.token.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.token.authorize.DynamicRegistrations;
import io.mandate.token.oauth.OAuthException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/** RFC 7591 Dynamic Client Registration: off unless a tenant allows it; errors are RFC 7591's JSON. */
@Path("/oauth2/register")
public class RegistrationResource {

    private final DynamicRegistrations registrations;
    private final ObjectMapper json;

    RegistrationResource(DynamicRegistrations registrations, ObjectMapper json) {
        this.registrations = registrations;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http) {
        JsonNode metadata;
        try {
            metadata = json.readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new OAuthException(400, "invalid_client_metadata", "the body is not JSON");
        }
        var registered = registrations.register(metadata, authorization,
                http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress());
        return Response.status(201).entity(registered.body()).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
