package io.mandate.api;

import jakarta.enterprise.context.ApplicationScoped;
import io.mandate.sql.Sql;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} records (docs/api-conventions.md): what a key created in a tenant, and a
 * hash of the request it came with. Table {@code idempotency_key}: identity-service's own migration,
 * or {@code db/idempotency} from this library for the services that add that Flyway location.
 */
@ApplicationScoped
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;

    private final Sql sql;

    IdempotencyKeys(Sql sql) {
        this.sql = sql;
    }

    /**
     * Claims {@code key} for {@code resourceId} in the caller's transaction. A concurrent claim of the
     * same key waits for this one to commit. Returns what an earlier request with the same key
     * created; a different request under the same key is refused (422).
     */
    private Optional<String> claim(String tenantId, String key, String request, String resourceId) {
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw ProblemException.badRequest("idempotency_key_invalid",
                    "Idempotency-Key must be 1-" + MAX_KEY_LENGTH + " characters");
        }
        String hash = sha256(request);
        int claimed = sql.update("""
                insert into idempotency_key (tenant_id, key, request_hash, resource_id) values (?1, ?2, ?3, ?4)
                on conflict do nothing""", tenantId, key, hash, resourceId);
        if (claimed == 1) {
            return Optional.empty();
        }
        String[] earlier = sql.first("select request_hash, resource_id from idempotency_key where tenant_id = ?1 and key = ?2",
                row -> new String[] {row.string("request_hash"), row.string("resource_id")}, tenantId, key).orElseThrow();
        if (!hash.equals(earlier[0])) {
            throw new ProblemException(422, "idempotency_key_reused", "Unprocessable Content",
                    "this Idempotency-Key was used with a different request", List.of());
        }
        return Optional.of(earlier[1]);
    }

    /** What a create call made, or (replayed) what an earlier call with the same key made. */
    public record Outcome<T>(T value, boolean replayed) {
    }

    /**
     * Runs {@code create} for the resource {@code newId}, once per {@code key}: a repeat of the same
     * request under the same key gets {@code existing} of what the first call made, a different
     * request under it a 422. Without a key, {@code create} simply runs. In the caller's transaction.
     *
     * @param request what identifies the request (its endpoint and body), to tell a repeat from a reuse
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> Outcome<T> once(String tenantId, String key, String request, String newId,
            Function<String, T> existing, Supplier<T> create) {
        if (key != null) {
            Optional<String> earlier = claim(tenantId, key, request, newId);
            if (earlier.isPresent()) {
                return new Outcome<>(existing.apply(earlier.get()), true);
            }
        }
        return new Outcome<>(create.get(), false);
    }

    /**
     * The answer to a POST that creates: 201 with {@code location} (if the resource has one), or 200
     * with {@code Idempotent-Replayed: true} when an earlier request with the same key made it.
     */
    public static Response.ResponseBuilder created(boolean replayed, String location, Object body) {
        if (replayed) {
            return Response.ok(body).header(REPLAYED_HEADER, "true");
        }
        return (location == null ? Response.status(Response.Status.CREATED) : Response.created(URI.create(location)))
                .entity(body);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
