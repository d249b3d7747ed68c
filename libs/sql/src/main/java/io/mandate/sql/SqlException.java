package io.mandate.sql;

import java.sql.SQLException;

/** A statement the database refused or could not run; the driver's exception is the cause. */
public class SqlException extends RuntimeException {

    /** SQLState 23505: a unique constraint or primary key refused the row. */
    public static final String UNIQUE_VIOLATION = "23505";

    SqlException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public String sqlState() {
        return ((SQLException) getCause()).getSQLState();
    }
}
