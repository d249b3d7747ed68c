package io.mandate.token.rest;

import io.mandate.token.service.HumanLogin;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The simple flows of SPEC §4 token-service; today: human login. */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final HumanLogin login;

    AuthResource(HumanLogin login) {
        this.login = login;
    }

    public record LoginRequest(@NotBlank @Size(max = 64) String username, @NotNull @Size(max = 256) String password) {
    }

    public record User(String id, String tenantId, String username, String email, List<String> roles) {
    }

    public record LoginResponse(String token, String tokenType, long expiresIn, User user) {
    }

    /** {@code {username, password}} → a human access token (6 h by default) and who it belongs to. */
    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(@Valid @NotNull LoginRequest request, @Context HttpServerRequest http) {
        var session = login.login(request.username().strip(), request.password(),
                http.remoteAddress() == null ? null : http.remoteAddress().hostAddress(), http.getHeader("User-Agent"));
        var human = session.human();
        return Response.ok(new LoginResponse(session.token().jwt(), "Bearer", session.token().expiresIn(),
                new User(human.userId(), human.tenantId(), human.username(), human.email(), human.roles())))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
