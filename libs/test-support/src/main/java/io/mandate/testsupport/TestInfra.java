package io.mandate.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.testcontainers.DockerClientFactory;

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

    public static String kafkaHost() {
        String bootstrap = kafkaBootstrap().split(",")[0];
        return bootstrap.substring(0, bootstrap.lastIndexOf(':'));
    }

    public static int kafkaPort() {
        String bootstrap = kafkaBootstrap().split(",")[0];
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    /** The test broker's administrator (a super user: it may read and write every topic). */
    public static Properties kafkaAdmin() {
        return kafkaClient("admin", ROLE_PASSWORD);
    }

    /**
     * A Kafka client that signs in as {@code user} (SCRAM-SHA-512); every service's user has the
     * password {@link #ROLE_PASSWORD} on the test broker. A {@code null} user signs in as nobody.
     */
    public static Properties kafkaClient(String user, String password) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafkaBootstrap());
        if (user != null) {
            props.put("security.protocol", "SASL_PLAINTEXT");
            props.put("sasl.mechanism", "SCRAM-SHA-512");
            props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + user + "\" password=\"" + password + "\";");
        }
        return props;
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

    /**
     * Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) to process {@code pid} of the test PostgreSQL
     * server: on this machine, or inside the container {@link InfraContainer} started for this run.
     */
    public static void signalDatabaseProcess(String signal, long pid) throws IOException, InterruptedException {
        String[] kill = {"kill", "-" + signal, Long.toString(pid)};
        String container = System.getProperty(InfraContainer.RUNNING_PROPERTY);
        int exit;
        if (container == null) {
            exit = new ProcessBuilder(kill).inheritIO().start().waitFor();
        } else {
            DockerClient docker = DockerClientFactory.instance().client();
            // The shell's kill: the image need not have procps.
            String exec = docker.execCreateCmd(container).withCmd("sh", "-c", String.join(" ", kill))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            docker.execStartCmd(exec).exec(new ResultCallback.Adapter<>()).awaitCompletion();
            exit = docker.inspectExecCmd(exec).exec().getExitCodeLong().intValue();
        }
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", kill) + " failed (" + exit + ")"
                    + (container == null ? "; the tests run as root, or as PostgreSQL's user" : " in " + container));
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
