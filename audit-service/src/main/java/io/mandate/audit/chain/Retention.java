package io.mandate.audit.chain;

import io.mandate.audit.config.AuditConfig;
import io.mandate.audit.export.OcsfFeed;
import io.mandate.auditchain.CanonicalJson;
import io.mandate.auditchain.ChainLinks;
import io.mandate.eventing.envelope.Actor;
import io.mandate.eventing.envelope.Events;
import io.mandate.eventing.loop.WakeableLoop;
import io.mandate.sql.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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

    private final Sql sql;
    private final Checkpoints checkpoints;
    private final AuditSigner signer;
    private final HashChain chain;
    private final OcsfFeed ocsfFeed;
    private final Events events;
    private final WakeableLoop schedule;

    Retention(Sql sql, Checkpoints checkpoints, AuditSigner signer, HashChain chain, OcsfFeed ocsfFeed,
            Events events, AuditConfig config) {
        this.sql = sql;
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
    public Optional<Integer> days(String tenantId) {
        return sql.first("select days from audit_retention where tenant_id = ?1", row -> row.integer("days"), tenantId);
    }

    public void setDays(String tenantId, int days) {
        QuarkusTransaction.requiringNew().run(() -> sql.update("""
                insert into audit_retention (tenant_id, days, updated_at) values (?1, ?2, now())
                on conflict (tenant_id) do update set days = excluded.days, updated_at = excluded.updated_at""",
                tenantId, days));
    }

    /** Purges every tenant that has a retention period; how many records went. */
    public long purgeAll() {
        record Period(String tenantId, int days) {
        }
        List<Period> periods = sql.list("select tenant_id, days from audit_retention",
                row -> new Period(row.string("tenant_id"), row.integer("days")));
        long purged = 0;
        for (Period period : periods) {
            purged += purge(period.tenantId(), period.days());
        }
        return purged;
    }

    /**
     * Removes the tenant's records older than {@code days} (a prefix of its chain); how many. Never a
     * record the OCSF feed has not published yet: the feed is flushed first, and the purge stops at
     * its cursor in any case (another replica may hold the feed, or Kafka may be down).
     */
    public long purge(String tenantId, int days) {
        String name = HashChain.chainOf(tenantId);
        Instant cutoff = Instant.now().minus(Duration.ofDays(days));
        try {
            ocsfFeed.publishAll();
        } catch (RuntimeException e) {
            LOG.warnf("audit retention: the OCSF feed could not catch up (%s); %s is purged only up to what"
                    + " it published", e.getMessage(), name);
        }
        record Span(Long oldest, Long head, Long firstKept, long published) {
        }
        Span span = sql.first("""
                select min(chain_seq) as oldest, max(chain_seq) as head,
                    min(chain_seq) filter (where time >= ?2) as first_kept,
                    coalesce((select seq from ocsf_feed_cursor where chain = ?1), 0) as published
                from audit_event where chain = ?1""",
                row -> new Span(row.longValue("oldest"), row.longValue("head"), row.longValue("first_kept"),
                        row.longValue("published")),
                name, cutoff).orElseThrow();
        if (span.head() == null) {
            return 0;
        }
        long upTo = Math.min(span.firstKept() == null ? span.head() : span.firstKept() - 1, span.published());
        if (upTo < span.oldest()) {
            return 0;
        }
        Checkpoints.Checkpoint checkpoint = checkpoints.checkpoint(name);
        return QuarkusTransaction.requiringNew().call(() -> {
            byte[] hash = sql.first("select hash from audit_event where chain = ?1 and chain_seq = ?2",
                    row -> row.bytes("hash"), name, upTo).orElseThrow();
            long purged = sql.update("delete from audit_event where chain = ?1 and chain_seq <= ?2", name, upTo);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            AuditSigner.Signed signed = signer.sign(PurgeMarker.payload(name, upTo, hash, checkpoint.id(), purged, now));
            sql.update("""
                    insert into audit_purge (chain, up_to_seq, hash_at_seq, checkpoint_id, purged, purged_at, key_id, signature)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""",
                    name, upTo, hash, checkpoint.id(), purged, now, signed.keyId(), signed.signature());
            chain.append(events.create(PURGED, name, tenantId, name, Actor.SYSTEM,
                    new Purged(tenantId, upTo, purged, days, checkpoint.id())), null);
            LOG.infof("audit retention: purged %d records of %s up to seq %d (%d days)", purged, name, upTo, days);
            return purged;
        });
    }

    /** The chain's purge markers, oldest first. */
    List<PurgeMarker> markers(String chainName) {
        return sql.list("""
                select id, chain, up_to_seq, hash_at_seq, checkpoint_id, purged, purged_at, key_id, signature
                from audit_purge where chain = ?1 order by up_to_seq, id""",
                row -> new PurgeMarker(row.longValue("id"), row.string("chain"), row.longValue("up_to_seq"),
                        row.bytes("hash_at_seq"), row.longValue("checkpoint_id"), row.longValue("purged"),
                        row.instant("purged_at"), row.string("key_id"), row.bytes("signature")),
                chainName);
    }

    /**
     * True if one of {@code keyring}'s keys signed the marker, or it is one of the unsigned markers
     * made before purges were signed.
     */
    boolean authentic(PurgeMarker marker, Map<String, byte[]> keyring) {
        if (marker.signature() == null) {
            return sql.exists("select 1 from audit_purge_unsigned_bound having ?1 <= max(max_id)", marker.id());
        }
        return ChainLinks.verifies(keyring, marker.keyId(), marker.payload(), marker.signature());
    }
}
