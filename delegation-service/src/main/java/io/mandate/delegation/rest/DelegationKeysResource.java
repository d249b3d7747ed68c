package io.mandate.delegation.rest;

import io.mandate.delegation.service.DelegationTokens;
import io.mandate.sealing.SealedSigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The public keys that sign delegation tokens, as a JWKS (OKP / Ed25519, RFC 8037); token-service reads it. Public. */
@Path("/.well-known/delegation-keys")
public class DelegationKeysResource {

    private final DelegationTokens tokens;

    DelegationKeysResource(DelegationTokens tokens) {
        this.tokens = tokens;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response keys() {
        return Response.ok(Map.of("keys", tokens.publicKeys().stream().map(SealedSigningKeys.PublicKey::jwk).toList()))
                .header("Cache-Control", "public, max-age=300").build();
    }
}
