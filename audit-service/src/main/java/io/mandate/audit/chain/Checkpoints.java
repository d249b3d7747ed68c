package io.mandate.audit.chain;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.ProblemException;
import io.mandate.audit.config.AuditConfig;
import io.mandate.auditchain.CanonicalJson;
import io.mandate.auditchain.ChainLinks;
import io.mandate.eventing.loop.WakeableLoop;
import io.mandate.sql.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Signed checkpoints: Ed25519 signatures over "chain C had hash H at seq N", made for every chain
 * that grew, every {@code checkpoint-interval}, and on demand. The signed bytes are the canonical
 * JSON of {@code {chain, seq, hash (hex), created_at}}; the public keys are published as a JWKS, so
 * anyone holding an export can check the chain offline.
 */
@ApplicationScoped
public class Checkpoints {

    /** A signed checkpoint, with the exact bytes that were signed. */
    public record Checkpoint(long id, String chain, long seq, byte[] hash, Instant createdAt, String keyId,
            byte[] signature) {

        public String payload() {
            return payload(chain, seq, hash, createdAt);
        }

        /** True if one of {@code keyring}'s keys signed exactly this checkpoint. */
        public boolean authentic(Map<String, byte[]> keyring) {
            return ChainLinks.verifies(keyring, keyId, payload(), signature);
        }

        static String payload(String chain, long seq, byte[] hash, Instant createdAt) {
            return new String(CanonicalJson.ofValue(Map.of("chain", chain, "seq", seq,
                    "hash", HexFormat.of().formatHex(hash), "created_at", createdAt.toString())), StandardCharsets.UTF_8);
        }
    }

    private final Sql sql;
    private final AuditSigner signer;
    private final IdempotencyKeys idempotencyKeys;
    private final WakeableLoop schedule;

    Checkpoints(Sql sql, AuditSigner signer, IdempotencyKeys idempotencyKeys, AuditConfig config) {
        this.sql = sql;
        this.idempotencyKeys = idempotencyKeys;
        this.signer = signer;
        this.schedule = WakeableLoop.every("audit-checkpoints", config.checkpointInterval(), this::checkpointAll);
    }

    void start(@Observes StartupEvent startup) {
        schedule.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        schedule.stop();
    }

    /** A checkpoint for every chain whose head moved past its last checkpoint; how many were made. */
    public int checkpointAll() {
        List<String> grown = sql.list("""
                select h.chain from audit_chain_head h
                where h.seq > coalesce((select max(c.seq) from audit_checkpoint c where c.chain = h.chain), 0)""",
                row -> row.string("chain"));
        grown.forEach(this::checkpoint);
        return grown.size();
    }

    /** Signs the chain's current head. */
    public Checkpoint checkpoint(String chain) {
        return checkpoint(chain, null).value();
    }

    /**
     * Signs the chain's current head; with an {@code idempotencyKey}, a repeat returns the checkpoint
     * the first call made.
     */
    public IdempotencyKeys.Outcome<Checkpoint> checkpoint(String chain, String idempotencyKey) {
        return QuarkusTransaction.requiringNew().call(() -> {
            long id = sql.count("select nextval(pg_get_serial_sequence('audit_checkpoint', 'id'))");
            return idempotencyKeys.once(chain, idempotencyKey, "POST /v1/audit/checkpoints", Long.toString(id),
                    earlier -> byId(chain, Long.parseLong(earlier)), () -> sign(chain, id));
        });
    }

    private record Head(long seq, byte[] hash) {
    }

    private Checkpoint sign(String chain, long id) {
        Head head = sql.first("select seq, hash from audit_chain_head where chain = ?1 and seq > 0",
                row -> new Head(row.longValue("seq"), row.bytes("hash")), chain)
                .orElseThrow(() -> ProblemException.conflict("audit_trail_empty", "nothing has been recorded for this tenant yet"));
        long seq = head.seq();
        byte[] hash = head.hash();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        AuditSigner.Signed signed = signer.sign(Checkpoint.payload(chain, seq, hash, now));
        sql.update("""
                insert into audit_checkpoint (id, chain, seq, hash, created_at, key_id, signature)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""", id, chain, seq, hash, now, signed.keyId(), signed.signature());
        return new Checkpoint(id, chain, seq, hash, now, signed.keyId(), signed.signature());
    }

    private Checkpoint byId(String chain, long id) {
        return list(chain, id + 1, null, null, 1).get(0); // the newest below id + 1: id itself, never deleted
    }

    /** The chain's checkpoints, newest first, below {@code beforeId} when given; {@code limit} at most. */
    public List<Checkpoint> list(String chain, Long beforeId, Long fromSeq, Long toSeq, int limit) {
        return sql.list("""
                select id, chain, seq, hash, created_at, key_id, signature from audit_checkpoint
                where chain = ?1 and (cast(?2 as bigint) is null or id < ?2)
                  and seq >= coalesce(cast(?3 as bigint), 0) and seq <= coalesce(cast(?4 as bigint), 9223372036854775807)
                order by id desc limit ?5""",
                row -> new Checkpoint(row.longValue("id"), row.string("chain"), row.longValue("seq"), row.bytes("hash"),
                        row.instant("created_at"), row.string("key_id"), row.bytes("signature")),
                chain, beforeId, fromSeq, toSeq, limit);
    }
}
