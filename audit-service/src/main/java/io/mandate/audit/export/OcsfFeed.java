package io.mandate.audit.export;

import io.mandate.audit.AuditEvent;
import io.mandate.audit.config.AuditConfig;
import io.mandate.eventing.EventProducer;
import io.mandate.eventing.Topics;
import io.mandate.eventing.WakeableLoop;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hibernate.jpa.HibernateHints;

/**
 * Streams every trail record's OCSF form to {@value Topics#AUDIT_OCSF}, keyed by chain, in chain
 * order, at least once. The trail is its own outbox: per chain, {@code ocsf_feed_cursor} holds the
 * last record Kafka acknowledged, and moves in the transaction that saw the acknowledgement, so a
 * feed that dies mid-batch sends the rest again (the OCSF {@code metadata.uid} is the event id, for
 * consumers that deduplicate). An advisory lock keeps one feed active per database across replicas.
 */
@ApplicationScoped
public class OcsfFeed {

    private static final String LOCK = "select pg_try_advisory_xact_lock(hashtext('mandate.audit.ocsf-feed'))";
    private static final int CHAINS_PER_BATCH = 50;
    private static final int RECORDS_PER_CHAIN = 200;

    private final EntityManager em;
    private final Ocsf ocsf;
    private final EventProducer producer;
    private final WakeableLoop loop;

    OcsfFeed(EntityManager em, Ocsf ocsf, EventProducer producer, AuditConfig config) {
        this.em = em;
        this.ocsf = ocsf;
        this.producer = producer;
        this.loop = new WakeableLoop("ocsf-feed", config.ocsfFeedPollInterval(), () -> publishOnce() > 0);
    }

    void start(@Observes StartupEvent startup) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        loop.stop();
    }

    /** Called after records were appended, so they leave without waiting for the next poll. */
    public void wake() {
        loop.wake();
    }

    /** Publishes until every chain is caught up (or another replica holds the feed). */
    public void publishAll() {
        while (publishOnce() > 0) {
            // next batch
        }
    }

    /**
     * Publishes the next records of the chains that are behind, waits for Kafka to acknowledge all
     * of them, then moves those chains' cursors; how many records went (0 when another replica
     * holds the feed).
     */
    @SuppressWarnings("unchecked")
    public int publishOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!(Boolean) em.createNativeQuery(LOCK).getSingleResult()) {
                return 0;
            }
            List<AuditEvent> rows = em.createNativeQuery("""
                    select e.* from (
                        select h.chain, coalesce(c.seq, 0) as published from audit_chain_head h
                        left join ocsf_feed_cursor c on c.chain = h.chain
                        where h.seq > coalesce(c.seq, 0) order by h.chain limit ?1) behind
                    cross join lateral (
                        select * from audit_event e where e.chain = behind.chain and e.chain_seq > behind.published
                        order by e.chain_seq limit ?2) e""", AuditEvent.class)
                    .setParameter(1, CHAINS_PER_BATCH).setParameter(2, RECORDS_PER_CHAIN)
                    .setHint(HibernateHints.HINT_READ_ONLY, true)
                    .getResultList();
            if (rows.isEmpty()) {
                return 0;
            }
            // Each chain's rows are a prefix of what it has not published: sent in seq order, the
            // cursor moves to the last.
            Map<String, Long> cursors = new LinkedHashMap<>();
            List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
            List<AuditEvent> inOrder = new ArrayList<>(rows);
            inOrder.sort(Comparator.comparing((AuditEvent row) -> row.chain).thenComparingLong(row -> row.chainSeq));
            for (AuditEvent row : inOrder) {
                acks.add(producer.send(Topics.AUDIT_OCSF, row.chain, ocsf.map(row).toString(), "application/json"));
                cursors.merge(row.chain, row.chainSeq, Math::max);
            }
            awaitAll(acks);
            em.createNativeQuery("""
                    insert into ocsf_feed_cursor (chain, seq) select * from unnest(cast(?1 as text[]), cast(?2 as bigint[]))
                    on conflict (chain) do update set seq = excluded.seq""")
                    .setParameter(1, cursors.keySet().toArray(String[]::new))
                    .setParameter(2, cursors.values().toArray(Long[]::new))
                    .executeUpdate();
            return rows.size();
        });
    }

    private static void awaitAll(List<CompletableFuture<?>> acks) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the OCSF batch", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing OCSF records", e);
        }
    }
}
