package io.mandate.audit.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.mandate.audit.AuditEvent;
import io.mandate.audit.config.AuditConfig;
import io.mandate.eventing.envelope.Topics;
import io.mandate.eventing.loop.WakeableLoop;
import io.mandate.eventing.outbox.EventProducer;
import io.mandate.eventing.outbox.PublisherLock;
import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Streams every trail record's OCSF form to {@value Topics#AUDIT_OCSF}, keyed by chain, in chain
 * order, at least once. The trail is its own outbox: per chain, {@code ocsf_feed_cursor} holds the
 * last record Kafka acknowledged, and moves in the transaction that saw the acknowledgement, so a
 * feed that dies mid-batch sends the rest again (the OCSF {@code metadata.uid} is the event id, for
 * consumers that deduplicate). An advisory lock keeps one feed active per database across replicas.
 */
@ApplicationScoped
public class OcsfFeed {

    private static final String LOCK = "mandate.audit.ocsf-feed";
    private static final int CHAINS_PER_BATCH = 50;
    private static final int RECORDS_PER_CHAIN = 200;

    private final AgroalDataSource dataSource;
    private final Sql sql;
    private final ObjectMapper mapper;
    private final Ocsf ocsf;
    private final EventProducer producer;
    private final WakeableLoop loop;

    OcsfFeed(AgroalDataSource dataSource, Sql sql, ObjectMapper mapper, Ocsf ocsf, EventProducer producer,
            AuditConfig config) {
        this.dataSource = dataSource;
        this.sql = sql;
        this.mapper = mapper;
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
     * holds the feed). All in one transaction, whose end releases the feed's lock.
     */
    public int publishOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) { // the transaction's connection
                if (!PublisherLock.tryTake(connection, LOCK)) {
                    return 0;
                }
            }
            List<AuditEvent> rows = behind();
            // Each chain's rows are a prefix of what it has not published: sent in seq order, its
            // cursor moves to the last.
            Map<String, Long> cursors = new LinkedHashMap<>();
            List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
            for (AuditEvent row : rows) {
                acks.add(producer.send(Topics.AUDIT_OCSF, row.chain, mapper.writeValueAsString(ocsf.map(row)),
                        "application/json"));
                cursors.merge(row.chain, row.chainSeq, Math::max);
            }
            EventProducer.awaitAll(acks, "the OCSF batch");
            sql.update("""
                    insert into ocsf_feed_cursor (chain, seq) select * from unnest(cast(?1 as text[]), cast(?2 as bigint[]))
                    on conflict (chain) do update set seq = excluded.seq""", cursors.keySet(), cursors.values());
            return rows.size();
        });
    }

    /** The next records of the chains that are behind, by chain and seq. */
    private List<AuditEvent> behind() {
        return sql.list("""
                select e.* from (select h.chain, coalesce(c.seq, 0) as published from audit_chain_head h
                      left join ocsf_feed_cursor c on c.chain = h.chain
                      where h.seq > coalesce(c.seq, 0) order by h.chain limit ?1) behind
                cross join lateral (
                    select * from audit_event e where e.chain = behind.chain and e.chain_seq > behind.published
                    order by e.chain_seq limit ?2) e
                order by e.chain, e.chain_seq""", Fields.reader(AuditEvent.class), CHAINS_PER_BATCH, RECORDS_PER_CHAIN);
    }
}
