package io.mandate.audit.chain;

import io.mandate.audit.chain.Checkpoints.Checkpoint;
import io.mandate.audit.chain.Retention.PurgeMarker;
import io.mandate.auditchain.CanonicalJson;
import io.mandate.auditchain.ChainLinks;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes a chain: every record's hash from its stored event, every link to the record before,
 * no seq missing, and every checkpoint in the range signed by an audit key and matching the chain at
 * its seq. What vouches for the chain is checked too: a purge marker must be signed (or predate
 * signed markers), and no signed checkpoint may lie beyond the head. So an edited event, a deleted
 * record, a chain rebuilt after the fact, a prefix removed behind a forged purge marker, a tail cut
 * off with the head moved back, and an edited or forged checkpoint all show at the first seq they
 * break.
 */
@ApplicationScoped
public class ChainVerifier {

    private static final int PAGE = 1000;

    /** What {@code GET /v1/audit/verify} answers. */
    public record Verification(boolean valid, long checked, Long firstBrokenSeq, String reason, Checkpoint checkpoint) {
    }

    private final Sql sql;
    private final Checkpoints checkpoints;
    private final Retention retention;
    private final AuditSigner signer;

    ChainVerifier(Sql sql, Checkpoints checkpoints, Retention retention, AuditSigner signer) {
        this.sql = sql;
        this.checkpoints = checkpoints;
        this.retention = retention;
        this.signer = signer;
    }

    /**
     * Verifies records {@code from..to} of the chain (null: from its first record, to its head);
     * records removed by a retention purge are skipped.
     */
    public Verification verify(String chain, Long from, Long to) {
        Map<String, byte[]> keyring = signer.keyring();
        long headSeq = headSeq(chain);
        long last = to == null ? headSeq : Math.min(to, headSeq);

        // Records purged by retention are gone on purpose: verification starts after the last purge,
        // from the hash it kept. Only a signed marker says so.
        long purgedUpTo = 0;
        byte[] purgedHash = null;
        for (PurgeMarker purge : retention.markers(chain)) {
            if (!retention.authentic(purge, keyring)) {
                return broken(0, purgedUpTo + 1, "purge marker " + purge.id() + " (records up to seq "
                        + purge.upToSeq() + ") is not signed by an audit key", null);
            }
            purgedUpTo = purge.upToSeq();
            purgedHash = purge.hashAtSeq();
        }
        long first = Math.max(from == null ? 1 : from, purgedUpTo + 1);

        Map<Long, Checkpoint> signed = new HashMap<>();
        Map<Long, Checkpoint> forged = new HashMap<>();
        for (Checkpoint c : checkpoints.list(chain, null, first, last, Integer.MAX_VALUE)) {
            (c.authentic(keyring) ? signed : forged).putIfAbsent(c.seq(), c);
        }
        Checkpoint newest = signed.values().stream().max(Comparator.comparingLong(Checkpoint::seq)).orElse(null);
        // A signed checkpoint past the head vouches for records that are gone: the tail was cut off
        // (unless the chain grew, and was signed, since the head was read).
        Checkpoint beyondHead = last < headSeq ? null : checkpoints.list(chain, null, headSeq + 1, null, Integer.MAX_VALUE)
                .stream().filter(c -> c.authentic(keyring)).max(Comparator.comparingLong(Checkpoint::seq))
                .filter(c -> headSeq(chain) < c.seq()).orElse(null);
        String cutOff = beyondHead == null ? null : "records after seq " + headSeq + " are missing: checkpoint "
                + beyondHead.id() + " is signed for seq " + beyondHead.seq();

        boolean empty = !sql.exists("select 1 from audit_event where chain = ?1", chain);
        if (empty || first > last) {
            return cutOff == null ? new Verification(true, 0, null, null, null) : broken(0, headSeq + 1, cutOff, beyondHead);
        }
        byte[] expectedPrev = first == 1 ? ChainLinks.GENESIS
                : first == purgedUpTo + 1 ? purgedHash : storedHash(chain, first - 1);
        long expectedSeq = first;
        long checked = 0;
        while (expectedSeq <= last) {
            List<Stored> rows = sql.list("""
                    select chain_seq, prev_hash, hash, event::text as event from audit_event
                    where chain = ?1 and chain_seq >= ?2 and chain_seq <= ?3 order by chain_seq limit ?4""",
                    row -> new Stored(row.longValue("chain_seq"), row.bytes("prev_hash"), row.bytes("hash"),
                            row.string("event")),
                    chain, expectedSeq, last, PAGE);
            if (rows.isEmpty()) {
                return broken(checked, expectedSeq, "record missing", newest);
            }
            for (Stored row : rows) {
                long seq = row.seq();
                byte[] prev = row.prevHash();
                byte[] hash = row.hash();
                if (seq != expectedSeq) {
                    return broken(checked, expectedSeq, "record missing", newest);
                }
                if (expectedPrev != null && !Arrays.equals(prev, expectedPrev)) {
                    return broken(checked, seq, "link to the previous record broken", newest);
                }
                if (!Arrays.equals(hash, ChainLinks.hash(prev, CanonicalJson.of(row.event())))) {
                    return broken(checked, seq, "record changed after it was written", newest);
                }
                if (forged.containsKey(seq)) {
                    return broken(checked, seq, "checkpoint " + forged.get(seq).id() + " is not signed by an audit key",
                            newest);
                }
                Checkpoint checkpoint = signed.get(seq);
                if (checkpoint != null && !Arrays.equals(checkpoint.hash(), hash)) {
                    return broken(checked, seq, "differs from signed checkpoint " + checkpoint.id(), newest);
                }
                expectedPrev = hash;
                expectedSeq++;
                checked++;
            }
        }
        return cutOff == null ? new Verification(true, checked, null, null, newest)
                : broken(checked, headSeq + 1, cutOff, beyondHead);
    }

    private record Stored(long seq, byte[] prevHash, byte[] hash, String event) {
    }

    private long headSeq(String chain) {
        return sql.first("select seq from audit_chain_head where chain = ?1", row -> row.longValue("seq"), chain).orElse(0L);
    }

    /** The stored hash of record {@code seq}; null if it is gone (purged), in which case the link is taken as stored. */
    private byte[] storedHash(String chain, long seq) {
        return sql.first("select hash from audit_event where chain = ?1 and chain_seq = ?2", row -> row.bytes("hash"),
                chain, seq).orElse(null);
    }

    private static Verification broken(long checked, long seq, String reason, Checkpoint newest) {
        return new Verification(false, checked, seq, reason, newest);
    }
}
