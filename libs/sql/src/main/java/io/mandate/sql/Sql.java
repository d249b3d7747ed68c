package io.mandate.sql;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Plain SQL on the service's data source. Inside a transaction ({@code @Transactional}) every call
 * runs on the transaction's one connection, so what it writes commits or rolls back with the rest;
 * outside one, each statement commits by itself.
 *
 * <p>Parameters are numbered, {@code ?1}, {@code ?2} (a number may appear more than once), and bound
 * by type: an {@link Instant} as {@code timestamptz}, a {@code String[]} or a collection as
 * {@code text[]}, an {@code Integer[]} as {@code int[]}, an enum by its name, {@code null} as a
 * typeless null. Failures are {@link SqlException}s with the driver's {@link SQLException} as cause
 * (its SQLState says what went wrong).
 */
@ApplicationScoped
public class Sql {

    /** Makes one value of a result row. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(Row row) throws SQLException;
    }

    /** What a PostgreSQL {@code timestamptz} holds: 4713 BC to 294276 AD. */
    private static final Instant EARLIEST = Instant.parse("-4713-11-24T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+294276-12-31T23:59:59.999999Z");
    private static final String DATETIME_FIELD_OVERFLOW = "22008";

    private final AgroalDataSource dataSource;

    Sql(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs an insert, update or delete; returns the number of rows it touched. */
    public int update(String sql, Object... params) {
        return run(sql, params, PreparedStatement::executeUpdate);
    }

    /** Inserts a row class ({@link Fields}) into {@code table}, a constant of the caller: every field, its column. */
    public void insert(String table, Object row) {
        Fields<?> fields = Fields.of(row.getClass());
        StringBuilder placeholders = new StringBuilder();
        for (int i = 1; i <= fields.columns().size(); i++) {
            placeholders.append(i == 1 ? "?" : ", ?").append(i);
        }
        update("insert into " + table + " (" + String.join(", ", fields.columns()) + ") values (" + placeholders + ")",
                fields.values(row));
    }

    /** Every row the query returns, mapped. */
    public <T> List<T> list(String sql, Mapper<T> mapper, Object... params) {
        return run(sql, params, statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                Row row = new Row(rs);
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(row));
                }
                return rows;
            }
        });
    }

    /** The first row the query returns, mapped; empty when it returns none. */
    public <T> Optional<T> first(String sql, Mapper<T> mapper, Object... params) {
        return run(sql, params, statement -> {
            statement.setMaxRows(1);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.ofNullable(mapper.map(new Row(rs))) : Optional.empty();
            }
        });
    }

    /** Whether the query returns a row. */
    public boolean exists(String sql, Object... params) {
        return first(sql, row -> Boolean.TRUE, params).isPresent();
    }

    /** The number in the first column of the first row ({@code select count(*) ...}). */
    public long count(String sql, Object... params) {
        return first(sql, row -> row.longAt(1), params).orElse(0L);
    }

    private interface Statement<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private <T> T run(String sql, Object[] params, Statement<T> work) {
        if (params.getClass() != Object[].class) {
            // A String[] (or Integer[]) passed alone arrives as the varargs array itself: it is one parameter.
            params = new Object[] {params};
        }
        Placeholders.Parsed parsed = Placeholders.parse(sql);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(parsed.jdbc())) {
            int[] order = parsed.order();
            for (int i = 0; i < order.length; i++) {
                if (order[i] > params.length) {
                    throw new IllegalArgumentException("?" + order[i] + " has no parameter: " + sql);
                }
                bind(connection, statement, i + 1, params[order[i] - 1]);
            }
            return work.run(statement);
        } catch (SQLException e) {
            throw new SqlException(e);
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.OTHER);
        } else if (value instanceof Instant instant) {
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                // The driver would send such an instant as something else; PostgreSQL refuses it (22008).
                throw new SQLException("timestamp out of range: " + instant, DATETIME_FIELD_OVERFLOW);
            }
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else if (value instanceof String[] strings) {
            statement.setArray(index, connection.createArrayOf("text", strings));
        } else if (value instanceof Integer[] numbers) {
            statement.setArray(index, connection.createArrayOf("int4", numbers));
        } else if (value instanceof Collection<?> values) {
            statement.setArray(index, connection.createArrayOf("text",
                    values.stream().map(String::valueOf).toArray(String[]::new)));
        } else if (value instanceof Enum<?> constant) {
            statement.setString(index, constant.name());
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else {
            statement.setObject(index, value);
        }
    }
}
