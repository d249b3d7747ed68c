package io.mandate.eventing.outbox;

import io.agroal.api.AgroalDataSource;
import io.mandate.eventing.EventingConfig;
import io.mandate.eventing.loop.WakeableLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Ships outbox rows to Kafka in id order, at least once. A row is deleted only in the transaction
 * that saw the broker acknowledge it, so a relay that dies mid-batch re-sends the unacknowledged
 * rows on its next run (consumers are idempotent on the event id). A PostgreSQL advisory lock keeps
 * one relay active per database, which keeps the per-key order across replicas.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final String LOCK = "mandate.outbox.relay";
    private static final String NEXT_BATCH = "select id, topic, event_key, payload from outbox_event order by id limit ?";
    private static final String DELETE_SENT = "delete from outbox_event where id = any(?)";

    private final AgroalDataSource dataSource;
    private final EventProducer producer;
    private final EventingConfig.Relay config;
    private final WakeableLoop loop;

    OutboxRelay(AgroalDataSource dataSource, EventProducer producer, EventingConfig config) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.config = config.relay();
        this.loop = new WakeableLoop("outbox-relay", this.config.pollInterval(),
                () -> relayOnce() == this.config.batchSize());
    }

    void start(@Observes StartupEvent startup) {
        if (config.enabled()) {
            loop.start();
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        loop.stop();
    }

    /** Called after a commit that added rows, so they leave without waiting for the next poll. */
    void wake() {
        loop.wake();
    }

    /** Publishes one batch and deletes what the broker acknowledged; returns how many rows left. */
    public int relayOnce() throws SQLException {
        return relayBatch(Integer.MAX_VALUE, true);
    }

    /**
     * @param sendLimit how many rows of the batch to send (tests use it to stop half way)
     * @param commit    false abandons the transaction after sending, as a process killed before its
     *                  delete committed would
     */
    int relayBatch(int sendLimit, boolean commit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!PublisherLock.tryTake(connection, LOCK)) {
                    connection.rollback();
                    return 0;
                }
                List<Long> sent = sendBatch(connection, sendLimit);
                if (!commit) {
                    connection.rollback();
                    return 0;
                }
                if (!sent.isEmpty()) {
                    try (PreparedStatement delete = connection.prepareStatement(DELETE_SENT)) {
                        Array ids = connection.createArrayOf("bigint", sent.toArray());
                        delete.setArray(1, ids);
                        delete.executeUpdate();
                    }
                }
                connection.commit();
                return sent.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private List<Long> sendBatch(Connection connection, int sendLimit) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(NEXT_BATCH)) {
            select.setInt(1, config.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next() && ids.size() < sendLimit) {
                    ids.add(rs.getLong(1));
                    acks.add(producer.send(rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        EventProducer.awaitAll(acks, "the outbox batch");
        return ids;
    }
}
