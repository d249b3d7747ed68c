package io.mandate.audit.chain;

import io.mandate.audit.config.AuditConfig;
import io.mandate.audit.export.OcsfFeed;
import io.mandate.eventing.envelope.Actor;
import io.mandate.eventing.envelope.Events;
import io.mandate.eventing.loop.WakeableLoop;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Per-tenant retention. A purge removes the oldest records of a chain (a prefix: every record up to
 * the first one still inside the retention period), after signing a checkpoint of the chain, and
 * keeps the last removed record's hash so what remains still verifies. Each purge is itself
 * recorded in the tenant's trail as {@value #PURGED}. Runs every {@code purge-interval}.
 */
@ApplicationScoped
public class Retention {

    public static final String PURGED = "audit.purged";
    private static final Logger LOG = Logger.getLogger(Retention.class);

    record Purged(String tenantId, long upToSeq, long purged, int retentionDays, long checkpointId) {
    }

    /**
     * What a purge leaves behind: records {@code 1..upToSeq} of the chain are gone on purpose, and the
     * last of them had {@code hashAtSeq}. Signed like a checkpoint, over {@link #payload()}.
     */
    public record PurgeMarker(long id, String chain, long upToSeq, byte[] hashAtSeq, long checkpointId, long purged,
            Instant purgedAt, String keyId, byte[] signature) {

        public String payload() {
            return payload(chain, upToSeq, hashAtSeq, checkpointId, purged, purgedAt);
        }

        static String payload(String chain, long upToSeq, byte[] hashAtSeq, long checkpointId, long purged,
                Instant purgedAt) {
            return new String(CanonicalJson.ofValue(Map.of("chain", chain, "up_to_seq", upToSeq,
                    "hash_at_seq", HexFormat.of().formatHex(hashAtSeq), "checkpoint_id", checkpointId,
                    "purged", purged, "purged_at", purgedAt.toString())), StandardCharsets.UTF_8);
        }
    }

    private final EntityManager em;
    private final Checkpoints checkpoints;
    private final AuditSigner signer;
    private final HashChain chain;
    private final OcsfFeed ocsfFeed;
    private final Events events;
    private final WakeableLoop schedule;

    Retention(EntityManager em, Checkpoints checkpoints, AuditSigner signer, HashChain chain, OcsfFeed ocsfFeed,
            Events events, AuditConfig config) {
        this.em = em;
        this.checkpoints = checkpoints;
        this.signer = signer;
        this.chain = chain;
        this.ocsfFeed = ocsfFeed;
        this.events = events;
        this.schedule = WakeableLoop.every("audit-retention", config.purgeInterval(), this::purgeAll);
    }

    void start(@Observes StartupEvent startup) {
        schedule.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        schedule.stop();
    }

    /** The tenant's retention in days; empty when records are kept forever. */
    @SuppressWarnings("unchecked")
    public Optional<Integer> days(String tenantId) {
        List<Number> rows = em.createNativeQuery("select days from audit_retention where tenant_id = ?1")
                .setParameter(1, tenantId).getResultList();
        return rows.stream().findFirst().map(Number::intValue);
    }

    public void setDays(String tenantId, int days) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into audit_retention (tenant_id, days, updated_at) values (?1, ?2, now())
                on conflict (tenant_id) do update set days = excluded.days, updated_at = excluded.updated_at""")
                .setParameter(1, tenantId).setParameter(2, days).executeUpdate());
    }

    /** Purges every tenant that has a retention period; how many records went. */
    @SuppressWarnings("unchecked")
    public long purgeAll() {
        List<Object[]> tenants = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select tenant_id, days from audit_retention").getResultList());
        long purged = 0;
        for (Object[] tenant : tenants) {
            purged += purge((String) tenant[0], ((Number) tenant[1]).intValue());
        }
        return purged;
    }

    /**
     * Removes the tenant's records older than {@code days} (a prefix of its chain); how many. Never a
     * record the OCSF feed has not published yet: the feed is flushed first, and the purge stops at
     * its cursor in any case (another replica may hold the feed, or Kafka may be down).
     */
    @SuppressWarnings("unchecked")
    public long purge(String tenantId, int days) {
        String name = HashChain.chainOf(tenantId);
        Instant cutoff = Instant.now().minus(Duration.ofDays(days));
        try {
            ocsfFeed.publishAll();
        } catch (RuntimeException e) {
            LOG.warnf("audit retention: the OCSF feed could not catch up (%s); %s is purged only up to what"
                    + " it published", e.getMessage(), name);
        }
        Long upTo = QuarkusTransaction.requiringNew().call(() -> {
            List<Number> firstKept = em.createNativeQuery(
                    "select min(chain_seq) from audit_event where chain = ?1 and time >= ?2")
                    .setParameter(1, name).setParameter(2, cutoff).getResultList();
            Number head = (Number) em.createNativeQuery("select max(chain_seq) from audit_event where chain = ?1")
                    .setParameter(1, name).getSingleResult();
            Number oldest = (Number) em.createNativeQuery("select min(chain_seq) from audit_event where chain = ?1")
                    .setParameter(1, name).getSingleResult();
            if (head == null) {
                return null;
            }
            List<Number> published = em.createNativeQuery("select seq from ocsf_feed_cursor where chain = ?1")
                    .setParameter(1, name).getResultList();
            long last = Math.min(firstKept.get(0) == null ? head.longValue() : firstKept.get(0).longValue() - 1,
                    published.isEmpty() ? 0 : published.get(0).longValue());
            return last >= oldest.longValue() ? last : null;
        });
        if (upTo == null) {
            return 0;
        }
        Checkpoints.Checkpoint checkpoint = checkpoints.checkpoint(name);
        return QuarkusTransaction.requiringNew().call(() -> {
            byte[] hash = (byte[]) em.createNativeQuery("select hash from audit_event where chain = ?1 and chain_seq = ?2")
                    .setParameter(1, name).setParameter(2, upTo).getSingleResult();
            long purged = em.createNativeQuery("delete from audit_event where chain = ?1 and chain_seq <= ?2")
                    .setParameter(1, name).setParameter(2, upTo).executeUpdate();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            AuditSigner.Signed signed = signer.sign(PurgeMarker.payload(name, upTo, hash, checkpoint.id(), purged, now));
            em.createNativeQuery("""
                    insert into audit_purge (chain, up_to_seq, hash_at_seq, checkpoint_id, purged, purged_at, key_id, signature)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                    .setParameter(1, name).setParameter(2, upTo).setParameter(3, hash)
                    .setParameter(4, checkpoint.id()).setParameter(5, purged).setParameter(6, now)
                    .setParameter(7, signed.keyId()).setParameter(8, signed.signature()).executeUpdate();
            chain.append(events.create(PURGED, name, tenantId, name, Actor.SYSTEM,
                    new Purged(tenantId, upTo, purged, days, checkpoint.id())), null);
            LOG.infof("audit retention: purged %d records of %s up to seq %d (%d days)", purged, name, upTo, days);
            return purged;
        });
    }

    /** The chain's purge markers, oldest first. */
    @SuppressWarnings("unchecked")
    List<PurgeMarker> markers(String chainName) {
        List<Object[]> rows = em.createNativeQuery("""
                select id, chain, up_to_seq, hash_at_seq, checkpoint_id, purged, purged_at, key_id, signature
                from audit_purge where chain = ?1 order by up_to_seq, id""")
                .setParameter(1, chainName).getResultList();
        return rows.stream().map(r -> new PurgeMarker(((Number) r[0]).longValue(), (String) r[1],
                ((Number) r[2]).longValue(), (byte[]) r[3], ((Number) r[4]).longValue(), ((Number) r[5]).longValue(),
                (Instant) r[6], (String) r[7], (byte[]) r[8])).toList();
    }

    /**
     * True if one of {@code keyring}'s keys signed the marker, or it is one of the unsigned markers
     * made before purges were signed.
     */
    boolean authentic(PurgeMarker marker, Map<String, byte[]> keyring) {
        if (marker.signature() == null) {
            Number bound = (Number) em.createNativeQuery("select max(max_id) from audit_purge_unsigned_bound")
                    .getSingleResult();
            return bound != null && marker.id() <= bound.longValue();
        }
        return AuditSigner.verifies(keyring, marker.keyId(), marker.payload(), marker.signature());
    }
}
