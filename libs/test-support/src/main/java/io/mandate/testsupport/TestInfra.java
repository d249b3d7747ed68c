package io.mandate.testsupport;

/**
 * Where the tests' PostgreSQL and Kafka are. {@code deploy/local/mandate test} starts both and sets
 * these variables; a developer who started them by hand ({@code deploy/local/mandate infra-start --test})
 * gets the same defaults.
 */
public final class TestInfra {

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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
