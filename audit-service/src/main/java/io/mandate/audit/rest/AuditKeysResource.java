package io.mandate.audit.rest;

import io.mandate.audit.chain.AuditSigner;
import io.mandate.sealing.SealedSigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** The public keys that sign audit checkpoints and purge markers, as a JWKS (OKP / Ed25519, RFC 8037). Public. */
@Path("/.well-known/audit-keys")
public class AuditKeysResource {

    private final AuditSigner signer;

    AuditKeysResource(AuditSigner signer) {
        this.signer = signer;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response keys() {
        List<Map<String, String>> keys = signer.publicKeys().stream().map(SealedSigningKeys.PublicKey::jwk).toList();
        return Response.ok(Map.of("keys", keys)).header("Cache-Control", "public, max-age=300").build();
    }
}
