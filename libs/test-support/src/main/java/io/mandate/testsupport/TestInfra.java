package io.mandate.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the tests' PostgreSQL and Kafka are. {@code deploy/local/mandate test} starts both and sets
 * these variables; a developer who started them by hand ({@code deploy/local/mandate infra-start --test})
 * gets the same defaults.
 */
public final class TestInfra {

    /** The test server's administrator, which the tests use to arrange and inspect what services cannot. */
    public static final String ADMIN = "mandate";
    /** The password of the administrator and of every service role on the test server (loopback only). */
    public static final String ROLE_PASSWORD = "mandate";

    private TestInfra() {
    }

    public static String kafkaBootstrap() {
        return env("MANDATE_KAFKA_BOOTSTRAP", "127.0.0.1:9192");
    }

    public static String dbHost() {
        return env("MANDATE_DB_HOST", "127.0.0.1");
    }

    public static int dbPort() {
        return Integer.parseInt(env("MANDATE_DB_PORT", "54330"));
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + dbHost() + ":" + dbPort() + "/" + database;
    }

    /** A connection to {@code database} as the server's administrator (to arrange or inspect rows). */
    public static Connection asAdmin(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), ADMIN, ROLE_PASSWORD);
    }

    /** A connection to {@code database} as {@code role}, one of the services' roles. */
    public static Connection as(String role, String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), role, ROLE_PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
