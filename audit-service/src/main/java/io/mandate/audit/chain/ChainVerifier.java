package io.mandate.audit.chain;

import io.mandate.audit.chain.Checkpoints.Checkpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes a chain: every record's hash from its stored event, every link to the record before,
 * no seq missing, and every signed checkpoint in the range matching the chain at its seq. An edited
 * event, a deleted record, or a chain rebuilt after the fact all show at the first seq they break.
 */
@ApplicationScoped
public class ChainVerifier {

    private static final int PAGE = 1000;

    /** What {@code GET /v1/audit/verify} answers. */
    public record Verification(boolean valid, long checked, Long firstBrokenSeq, String reason, Checkpoint checkpoint) {
    }

    private final EntityManager em;
    private final Checkpoints checkpoints;
    private final Retention retention;

    ChainVerifier(EntityManager em, Checkpoints checkpoints, Retention retention) {
        this.em = em;
        this.checkpoints = checkpoints;
        this.retention = retention;
    }

    /**
     * Verifies records {@code from..to} of the chain (null: from its first record, to its head);
     * records removed by a retention purge are skipped.
     */
    @SuppressWarnings("unchecked")
    public Verification verify(String chain, Long from, Long to) {
        List<Object> head = em.createNativeQuery("select seq from audit_chain_head where chain = ?1")
                .setParameter(1, chain).getResultList();
        long headSeq = head.isEmpty() ? 0 : ((Number) head.get(0)).longValue();
        long last = to == null ? headSeq : Math.min(to, headSeq);
        Number oldest = (Number) em.createNativeQuery("select min(chain_seq) from audit_event where chain = ?1")
                .setParameter(1, chain).getSingleResult();
        // Records purged by retention are gone on purpose: verification starts after the last purge,
        // from the hash the purge kept (vouched for by the checkpoint signed just before it).
        var purge = retention.lastPurge(chain);
        long purgedUpTo = purge.map(Map.Entry::getKey).orElse(0L);
        long first = Math.max(from == null ? 1 : from, purgedUpTo + 1);
        if (oldest == null || first > last) {
            return new Verification(true, 0, null, null, null);
        }
        Map<Long, Checkpoint> signed = new HashMap<>();
        checkpoints.list(chain, null, first, last, Integer.MAX_VALUE).forEach(c -> signed.putIfAbsent(c.seq(), c));
        Checkpoint newest = signed.values().stream().max((a, b) -> Long.compare(a.seq(), b.seq())).orElse(null);

        byte[] expectedPrev = first == 1 ? HashChain.GENESIS
                : first == purgedUpTo + 1 ? purge.get().getValue() : storedHash(chain, first - 1);
        long expectedSeq = first;
        long checked = 0;
        while (expectedSeq <= last) {
            List<Object[]> rows = em.createNativeQuery("""
                    select chain_seq, prev_hash, hash, event::text from audit_event
                    where chain = ?1 and chain_seq >= ?2 and chain_seq <= ?3 order by chain_seq limit ?4""")
                    .setParameter(1, chain).setParameter(2, expectedSeq).setParameter(3, last).setParameter(4, PAGE)
                    .getResultList();
            if (rows.isEmpty()) {
                return broken(checked, expectedSeq, "record missing", newest);
            }
            for (Object[] row : rows) {
                long seq = ((Number) row[0]).longValue();
                byte[] prev = (byte[]) row[1];
                byte[] hash = (byte[]) row[2];
                if (seq != expectedSeq) {
                    return broken(checked, expectedSeq, "record missing", newest);
                }
                if (expectedPrev != null && !Arrays.equals(prev, expectedPrev)) {
                    return broken(checked, seq, "link to the previous record broken", newest);
                }
                if (!Arrays.equals(hash, HashChain.hash(prev, CanonicalJson.of((String) row[3])))) {
                    return broken(checked, seq, "record changed after it was written", newest);
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
        return new Verification(true, checked, null, null, newest);
    }

    /** The stored hash of record {@code seq}; null if it is gone (purged), in which case the link is taken as stored. */
    @SuppressWarnings("unchecked")
    private byte[] storedHash(String chain, long seq) {
        List<byte[]> rows = em.createNativeQuery("select hash from audit_event where chain = ?1 and chain_seq = ?2")
                .setParameter(1, chain).setParameter(2, seq).getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static Verification broken(long checked, long seq, String reason, Checkpoint newest) {
        return new Verification(false, checked, seq, reason, newest);
    }
}
