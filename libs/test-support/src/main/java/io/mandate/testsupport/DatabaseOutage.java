package io.mandate.testsupport;

import java.sql.SQLException;

/**
 * Makes one service's database refuse it, as a failover or a network cut would: no new connection is
 * accepted and every open one is ended. {@link #close} lets connections in again.
 */
public final class DatabaseOutage implements AutoCloseable {

    private final String database;

    private DatabaseOutage(String database) {
        this.database = database;
        run("alter database " + database + " with allow_connections false");
        run("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database + "'");
    }

    /** From now until {@link #close}, {@code database} (a name of ours, not user input) refuses every connection. */
    public static DatabaseOutage of(String database) {
        if (!database.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a database name: " + database);
        }
        return new DatabaseOutage(database);
    }

    @Override
    public void close() {
        run("alter database " + database + " with allow_connections true");
    }

    private static void run(String statement) {
        try (var connection = TestInfra.asAdmin("postgres");
                var call = connection.createStatement()) {
            call.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run: " + statement, e);
        }
    }
}
