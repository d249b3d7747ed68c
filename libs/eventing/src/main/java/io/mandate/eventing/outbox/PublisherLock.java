package io.mandate.eventing.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One publisher per database across replicas ({@link OutboxRelay}, audit-service's OCSF feed): a
 * transaction-scoped PostgreSQL advisory lock, so the per-key order of what is published holds.
 */
public final class PublisherLock {

    private PublisherLock() {
    }

    /** Takes the lock {@code name} for the connection's transaction if it is free; false if another holds it. */
    public static boolean tryTake(Connection connection, String name) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, name);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
