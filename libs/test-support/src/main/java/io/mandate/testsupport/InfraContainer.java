package io.mandate.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The tests' PostgreSQL and Kafka in a container, for a machine with Docker or podman but neither of them
 * installed. When a run with integration tests in it starts (in every test JVM: registered as a JUnit
 * test execution listener; unit tests need neither), nothing answers on the test ports, a container
 * engine does, and {@code MANDATE_TEST_CONTAINERS} is not {@code off}, it starts {@value #IMAGE} through
 * Testcontainers: the same PostgreSQL, Kafka, databases, roles, users and ACLs as
 * {@code deploy/local/mandate infra-start --test} (the container runs that script), on the same ports,
 * so no test's configuration changes.
 *
 * <p>The image is built here, never pulled ({@code deploy/images/build test-infra}). The container lives
 * as long as the test run (one JVM): this listener removes it when the run ends, so it works with or
 * without Testcontainers' Ryuk (which is pulled from Docker Hub; {@code TESTCONTAINERS_RYUK_DISABLED=true}
 * where that is not reachable). {@code MANDATE_TEST_CONTAINERS=on} insists on the container: the run
 * fails if no engine answers or something else holds the ports.
 */
public final class InfraContainer implements TestExecutionListener {

    public static final String IMAGE = "localhost/mandate/test-infra:latest";
    public static final String NAME = "mandate-test-infra";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /**
     * Set to the container's name while it runs. A system property, not a field: a Quarkus test's classes
     * (and so this one's) may be loaded again by another class loader than the listener's.
     */
    static final String RUNNING_PROPERTY = "mandate.test-infra.container";

    private GenericContainer<?> container;

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        if (!hasIntegrationTests(plan)) {
            return;
        }
        String mode = System.getenv().getOrDefault("MANDATE_TEST_CONTAINERS", "auto").toLowerCase(Locale.ROOT);
        if (mode.equals("off")) {
            return;
        }
        boolean required = mode.equals("on");
        int dbPort = TestInfra.dbPort();
        int kafkaPort = TestInfra.kafkaPort();
        boolean db = answers(TestInfra.dbHost(), dbPort);
        boolean kafka = answers(TestInfra.kafkaHost(), kafkaPort);
        if (required && (db || kafka)) {
            throw new IllegalStateException("MANDATE_TEST_CONTAINERS=on, but port " + (db ? dbPort : kafkaPort)
                    + " is taken; stop what holds it (deploy/local/mandate infra-stop --test)");
        }
        if (db && kafka) {
            return;
        }
        if (db != kafka) {
            throw new IllegalStateException("only one of the test PostgreSQL (" + dbPort + ") and Kafka (" + kafkaPort
                    + ") answers; start both (deploy/local/mandate infra-start --test) or stop the one left");
        }
        if (!loopback(TestInfra.dbHost()) || !loopback(TestInfra.kafkaHost())) {
            return; // servers elsewhere (MANDATE_DB_HOST, MANDATE_KAFKA_BOOTSTRAP) are for whoever runs them to start
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            if (required) {
                throw new IllegalStateException("MANDATE_TEST_CONTAINERS=on, but no container engine answers"
                        + " (DOCKER_HOST, or /var/run/docker.sock; for podman: podman system service)");
            }
            System.err.printf("test infrastructure: nothing answers on %d and %d and no container engine does;"
                    + " start them with deploy/local/mandate infra-start --test%n", dbPort, kafkaPort);
            return;
        }
        container = start(dbPort, kafkaPort);
        System.setProperty(RUNNING_PROPERTY, NAME);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (container != null) {
            System.clearProperty(RUNNING_PROPERTY);
            container.stop();
            container = null;
        }
    }

    private static GenericContainer<?> start(int dbPort, int kafkaPort) {
        DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.removeContainerCmd(NAME).withForce(true).exec();
        } catch (NotFoundException none) {
            // nothing left over from an earlier run
        }
        long started = System.nanoTime();
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withImagePullPolicy(image -> false)
                .withEnv("MANDATE_LISTEN", "0.0.0.0")
                .withEnv("MANDATE_TEST_DB_PORT", Integer.toString(dbPort))
                .withEnv("MANDATE_TEST_KAFKA_PORT", Integer.toString(kafkaPort))
                .withCreateContainerCmdModifier(create -> {
                    Ports bindings = new Ports();
                    bindings.bind(ExposedPort.tcp(dbPort), Ports.Binding.bindIpAndPort("127.0.0.1", dbPort));
                    bindings.bind(ExposedPort.tcp(kafkaPort), Ports.Binding.bindIpAndPort("127.0.0.1", kafkaPort));
                    HostConfig host = create.getHostConfig() == null ? new HostConfig() : create.getHostConfig();
                    create.withName(NAME).withExposedPorts(ExposedPort.tcp(dbPort), ExposedPort.tcp(kafkaPort))
                            .withHostConfig(host.withPortBindings(bindings));
                })
                .waitingFor(Wait.forLogMessage(".*test infrastructure ready.*", 1).withStartupTimeout(START_TIMEOUT));
        container.start();
        System.err.printf("test infrastructure: container %s (%s) on 127.0.0.1:%d and :%d, ready in %d s%n", NAME,
                IMAGE, dbPort, kafkaPort, Duration.ofNanos(System.nanoTime() - started).toSeconds());
        return container;
    }

    /** Whether the run has an integration test (a class named {@code *IT}, as Failsafe runs them) in it. */
    private static boolean hasIntegrationTests(TestPlan plan) {
        return plan.getRoots().stream().flatMap(root -> plan.getDescendants(root).stream())
                .map(TestIdentifier::getSource).flatMap(Optional::stream)
                .anyMatch(source -> source instanceof ClassSource test && test.getClassName().endsWith("IT"));
    }

    private static boolean loopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost");
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
