package io.mandate.token.rest;

import com.nimbusds.jose.JWSAlgorithm;
import io.mandate.api.ProblemException;
import io.mandate.token.keys.SigningKeys;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform admin's view of the signing keys (never their private parts): list, rotate (the
 * successor is published now and signs after one JWKS cache lifetime), disable (a compromised key
 * goes at once). Authenticated with the bootstrap platform-admin credential only: keys are
 * platform-wide, no tenant role may touch them.
 */
@Path("/v1/signing-keys")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyResource {

    private final SigningKeys keys;
    private final byte[] adminToken;

    SigningKeyResource(SigningKeys keys, @ConfigProperty(name = "mandate.admin.bootstrap-token") String adminToken) {
        this.keys = keys;
        this.adminToken = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
    }

    @GET
    public Map<String, List<SigningKeys.KeyView>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        requireAdmin(authorization);
        return Map.of("items", keys.list());
    }

    public record RotateRequest(@Size(max = 16) String algorithm) {
    }

    @POST
    @Path("/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    public SigningKeys.KeyView rotate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RotateRequest request) {
        requireAdmin(authorization);
        String name = request == null || request.algorithm() == null ? "ES256" : request.algorithm();
        if (!List.of("ES256", "EdDSA", "RS256").contains(name)) {
            throw ProblemException.invalid("algorithm", "must be ES256, EdDSA or RS256");
        }
        return keys.rotate(JWSAlgorithm.parse(name));
    }

    @POST
    @Path("/{kid}/disable")
    public SigningKeys.KeyView disable(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("kid") String kid) {
        requireAdmin(authorization);
        return keys.disable(kid).orElseThrow(() -> ProblemException.notFound("signing_key_not_found",
                "no signing key " + kid));
    }

    private void requireAdmin(String authorization) {
        if (authorization == null || !MessageDigest.isEqual(adminToken, authorization.getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.unauthorized("signing keys are managed with the platform-admin credential");
        }
    }
}
