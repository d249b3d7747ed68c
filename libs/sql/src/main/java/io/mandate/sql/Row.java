package io.mandate.sql;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** The current row of a result, read by column name; SQL {@code null} reads as Java {@code null}. */
public final class Row {

    private final ResultSet rs;

    Row(ResultSet rs) {
        this.rs = rs;
    }

    public String string(String column) throws SQLException {
        return rs.getString(column);
    }

    public Instant instant(String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public Integer integer(String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    public Long longValue(String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    long longAt(int index) throws SQLException {
        return rs.getLong(index);
    }

    public Boolean bool(String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }

    public byte[] bytes(String column) throws SQLException {
        return rs.getBytes(column);
    }

    /** A {@code text[]} column; an empty list for SQL {@code null}. */
    public List<String> strings(String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    public <E extends Enum<E>> E enumValue(String column, Class<E> type) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : Enum.valueOf(type, value);
    }
}
