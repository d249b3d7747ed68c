package io.mandate.sql;

import java.sql.SQLException;

/** A statement the database refused or could not run; the driver's exception is the cause. */
public class SqlException extends RuntimeException {

    SqlException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public String sqlState() {
        return ((SQLException) getCause()).getSQLState();
    }
}
