package io.mandate.token.rest;

import io.mandate.token.browser.DeviceSignIns;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.service.AddressLimiter;
import io.mandate.token.service.HumanLogin;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The command line's sign-in through the browser (RFC 8628's shape): {@code POST /v1/auth/device} starts one, the
 * person approves the user code at {@code /device}, {@code POST /v1/auth/device/token} polls for the person's token
 * (the answer {@code /v1/auth/login} gives). Refusals are RFC 6749 error JSON.
 */
@Path("/v1/auth/device")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceSignInResource {

    private final DeviceSignIns devices;
    private final AddressLimiter limiter;
    private final String verificationUri;

    DeviceSignInResource(DeviceSignIns devices, AddressLimiter limiter, TokenConfig config) {
        this.devices = devices;
        this.limiter = limiter;
        this.verificationUri = config.issuer() + "/device";
    }

    public record Started(String deviceCode, String userCode, String verificationUri, String verificationUriComplete,
            long expiresIn, long interval) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response start(@Context HttpServerRequest http) {
        limiter.acquire("people", address(http));
        DeviceSignIns.Started started = devices.start();
        return Response.ok(new Started(started.deviceCode(), started.userCode(), verificationUri,
                verificationUri + "?code=" + started.userCode(), started.expiresIn(), started.interval()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    public record Poll(@Size(max = 256) String deviceCode) {
    }

    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response token(Poll poll, @Context HttpServerRequest http) {
        HumanLogin.Session session = devices.poll(poll == null ? null : poll.deviceCode(), address(http),
                http.getHeader(HttpHeaders.USER_AGENT));
        var human = session.human();
        return Response.ok(new AuthResource.LoginResponse(session.token().jwt(), "Bearer", session.token().expiresIn(),
                new AuthResource.User(human.userId(), human.tenantId(), human.username(), human.email(), human.roles())))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static String address(HttpServerRequest http) {
        return http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }
}
