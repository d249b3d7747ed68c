package io.mandate.audit.rest;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.audit.chain.ChainVerifier;
import io.mandate.audit.chain.ChainVerifier.Verification;
import io.mandate.audit.chain.Checkpoints;
import io.mandate.audit.chain.Checkpoints.Checkpoint;
import io.mandate.audit.chain.HashChain;
import io.mandate.audit.service.AuditAccess;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Tamper evidence of the caller's tenant's trail: verification, signed checkpoints (made on demand
 * here, and on a schedule), and their export for offline checking against {@code
 * /.well-known/audit-keys}. Auditors and tenant admins only.
 */
@Path("/v1/audit")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AuditChainResource {

    private final ChainVerifier verifier;
    private final Checkpoints checkpoints;
    private final AuditAccess access;

    AuditChainResource(ChainVerifier verifier, Checkpoints checkpoints, AuditAccess access) {
        this.verifier = verifier;
        this.checkpoints = checkpoints;
        this.access = access;
    }

    /**
     * A checkpoint as exported: {@code payload} is the exact UTF-8 text that was signed, {@code
     * signature} its Ed25519 signature (base64url), {@code key_id} the signing key's {@code kid}.
     */
    public record CheckpointView(long id, String chain, long seq, String hash, Instant createdAt, String keyId,
            String payload, String signature) {

        static CheckpointView of(Checkpoint c) {
            return c == null ? null : new CheckpointView(c.id(), c.chain(), c.seq(), HexFormat.of().formatHex(c.hash()),
                    c.createdAt(), c.keyId(), c.payload(), Base64.getUrlEncoder().withoutPadding().encodeToString(c.signature()));
        }
    }

    public record VerificationView(boolean valid, long checked, Long firstBrokenSeq, String reason,
            CheckpointView checkpoint) {
    }

    @GET
    @Path("/verify")
    public VerificationView verify(@QueryParam("from") String from, @QueryParam("to") String to) {
        String chain = readableChain();
        Long first = seq("from", from);
        Long last = seq("to", to);
        if (first != null && last != null && first > last) {
            throw ProblemException.invalid("from", "must not be after to");
        }
        Verification result = verifier.verify(chain, first, last);
        return new VerificationView(result.valid(), result.checked(), result.firstBrokenSeq(), result.reason(),
                CheckpointView.of(result.checkpoint()));
    }

    @POST
    @Path("/checkpoints")
    public Response checkpoint(@HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        var made = checkpoints.checkpoint(readableChain(), idempotencyKey);
        return IdempotencyKeys.created(made.replayed(), null, CheckpointView.of(made.value())).build();
    }

    @GET
    @Path("/checkpoints")
    public Page<CheckpointView> checkpoints(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        String chain = readableChain();
        int size = Page.limit(limit);
        List<Checkpoint> rows = checkpoints.list(chain, Page.numberAfter(cursor), null, null, size + 1);
        return Page.of(rows, size, c -> Long.toString(c.id()), CheckpointView::of);
    }

    /** The caller's tenant's chain, if the caller may read audit data. */
    private String readableChain() {
        return HashChain.chainOf(access.readableTenant());
    }

    private static Long seq(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ProblemException.invalid(name, "must be a sequence number (a whole number from 1)");
    }
}
