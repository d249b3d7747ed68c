package io.mandate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart as {@code helm} renders it for each value set in {@code mandate/ci/}: lint-clean, every object
 * valid against its Kubernetes model with no unknown field, Mandate's rules kept, and every environment
 * variable a configuration key its service reads, every required key set.
 */
class ChartTest {

    private static final Path HERE = Path.of("").toAbsolutePath();
    private static final Path ROOT = HERE.resolve("../..").normalize();
    private static final Path CHART = HERE.resolve("mandate");
    /** Read by the JVM itself, not by the service's configuration. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([a-z0-9.\\-]+)}");

    static Stream<String> valueSets() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void lintsClean(String values) throws Exception {
        String out = helm("lint", CHART.toString(), "--strict", "-f", CHART.resolve("ci/" + values).toString());
        assertTrue(out.contains("0 chart(s) failed"), out);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void rendersObjectsThatAreValidAndKeepTheRules(String values) throws Exception {
        Manifests manifests = render(values);

        assertEquals(List.of(), manifests.errors);
        assertEquals(List.of(), manifests.ruleViolations());
        assertEquals(5, manifests.all(Deployment.class).size());
        if (values.startsWith("operators")) {
            assertEquals(5, manifests.all(CloudNativePg.class).size(), "a CloudNativePG cluster per service");
            assertEquals(2, manifests.all(Keda.ScaledObject.class).size(), "KEDA scales audit and webhook");
            assertEquals(6, manifests.all(ExternalSecrets.class).get(0).spec().data().size(), "every platform secret");
            assertEquals(5, manifests.all(KafkaUser.class).size(), "a Kafka user per service");
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void setsOnlyConfigurationKeysTheServicesReadAndEveryKeyTheyRequire(String values) throws Exception {
        List<String> problems = new ArrayList<>();
        render(values).environment().forEach((container, variables) -> {
            Config config = Config.of(container);
            for (String variable : variables) {
                if (!JVM_VARIABLES.contains(variable) && !config.variables().contains(variable)
                        && !Config.kafkaClientSetting(variable)) {
                    problems.add(container + " sets " + variable + ", which it does not read");
                }
            }
            for (String required : config.required()) {
                if (!variables.contains(required)) {
                    problems.add(container + " needs " + required + " and the chart does not set it");
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void theConfigurationCheckKnowsWhatAServiceReadsAndRequires() {
        Config token = Config.of("token-service");

        assertTrue(token.required().containsAll(List.of("MANDATE_DB_PASSWORD", "MANDATE_DB_MIGRATION_PASSWORD",
                "MANDATE_KAFKA_PASSWORD", "MANDATE_ADMIN_BOOTSTRAP_TOKEN", "MANDATE_CREDENTIALS_PEPPER",
                "MANDATE_TOKEN_KEY_ENCRYPTION_KEY")), token.required().toString());
        assertTrue(token.variables().containsAll(List.of("MANDATE_DB_HOST", "MANDATE_TOKEN_ISSUER",
                "MANDATE_KAFKA_BOOTSTRAP")), token.variables().toString());
        assertFalse(token.variables().contains("MANDATE_TOKEN_ISUER"), "a misspelled variable is not a key");
        assertFalse(Config.of("webhook-service").variables().contains("MANDATE_CREDENTIALS_PEPPER"),
                "webhook-service does not read the pepper");
        assertTrue(Config.kafkaClientSetting("KAFKA_SSL_TRUSTSTORE_LOCATION"));
        assertFalse(Config.kafkaClientSetting("KAFKA_SSL_TRUSTSTORE_LOCATOIN"), "a misspelled Kafka setting");
    }

    @Test
    void tracesAreExportedToTheCollectorOnlyWhereOneIsConfigured() throws Exception {
        Manifests traced = render("high-availability-values.yaml");
        for (Deployment deployment : traced.all(Deployment.class)) {
            Map<String, String> env = env(deployment);
            String name = deployment.getMetadata().getName();
            assertEquals("false", env.get("QUARKUS_OTEL_SDK_DISABLED"), name);
            assertEquals("http://otel-collector.observability:4318", env.get("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), name);
            assertEquals("http/protobuf", env.get("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"), name);
            assertEquals("0.1", env.get("QUARKUS_OTEL_TRACES_SAMPLER_ARG"), name);
        }
        assertEquals(5, servicePolicies(traced).size());
        for (NetworkPolicy policy : servicePolicies(traced)) {
            assertTrue(allowsEgressOn(policy, 4318), policy.getMetadata().getName() + " lets the pods reach the collector");
        }

        Manifests untraced = render("existing-infrastructure-values.yaml");
        untraced.environment().forEach((container, variables) -> assertTrue(
                variables.stream().noneMatch(variable -> variable.startsWith("QUARKUS_OTEL_")), container));
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void tokenServiceReachesDelegationServiceForItsKeysAndThePages(String values) throws Exception {
        Manifests manifests = render(values);
        Deployment token = manifests.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().endsWith("-token")).findFirst().orElseThrow();
        String delegationUrl = env(token).get("MANDATE_TOKEN_DELEGATION_URL");
        assertTrue(delegationUrl != null && delegationUrl.endsWith("-delegation"), String.valueOf(delegationUrl));
        assertEquals(delegationUrl + "/.well-known/delegation-keys", env(token).get("MANDATE_TOKEN_DELEGATION_KEYS_URL"));
        if (manifests.all(NetworkPolicy.class).isEmpty()) {
            return;
        }
        NetworkPolicy tokenPolicy = servicePolicies(manifests).stream()
                .filter(p -> p.getMetadata().getName().endsWith("-token")).findFirst().orElseThrow();
        assertTrue(allowsEgressOn(tokenPolicy, 8082), "token-service may reach delegation-service");
        NetworkPolicy delegationPolicy = servicePolicies(manifests).stream()
                .filter(p -> p.getMetadata().getName().endsWith("-delegation")).findFirst().orElseThrow();
        assertTrue(delegationPolicy.getSpec().getIngress().stream().anyMatch(rule -> rule.getFrom().stream()
                .anyMatch(peer -> peer.getPodSelector() != null && "token-service".equals(
                        peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name")))),
                "delegation-service admits token-service");
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void tokenServiceReachesIdentityServiceAndPublicMetadataDocumentsOnly(String values) throws Exception {
        Manifests manifests = render(values);
        Deployment token = manifests.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().endsWith("-token")).findFirst().orElseThrow();
        String identityUrl = env(token).get("MANDATE_TOKEN_IDENTITY_URL");
        assertTrue(identityUrl != null && identityUrl.endsWith("-identity"), String.valueOf(identityUrl));
        if (manifests.all(NetworkPolicy.class).isEmpty()) {
            return;
        }
        NetworkPolicy tokenPolicy = servicePolicies(manifests).stream()
                .filter(p -> p.getMetadata().getName().endsWith("-token")).findFirst().orElseThrow();
        assertTrue(allowsEgressOn(tokenPolicy, 8081), "token-service may reach identity-service");
        assertTrue(tokenPolicy.getSpec().getEgress().stream().flatMap(rule -> rule.getTo().stream())
                .filter(peer -> peer.getIpBlock() != null && "0.0.0.0/0".equals(peer.getIpBlock().getCidr()))
                .allMatch(peer -> peer.getIpBlock().getExcept().containsAll(List.of("10.0.0.0/8", "169.254.0.0/16"))),
                "metadata documents never from private ranges");
        NetworkPolicy identityPolicy = servicePolicies(manifests).stream()
                .filter(p -> p.getMetadata().getName().endsWith("-identity")).findFirst().orElseThrow();
        assertTrue(identityPolicy.getSpec().getIngress().stream().anyMatch(rule -> rule.getFrom().stream()
                .anyMatch(peer -> peer.getPodSelector() != null && "token-service".equals(
                        peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name")))),
                "identity-service admits token-service");
    }

    @Test
    void kafkaOverTlsTrustsTheClusterCaOnTheTlsListener() throws Exception {
        Manifests tls = render("operators-values.yaml", "--set", "kafka.tls.enabled=true");
        var listeners = tls.all(Kafka.class).get(0).getSpec().getKafka().getListeners();
        assertEquals(1, listeners.size());
        assertEquals(9093, listeners.get(0).getPort());
        assertTrue(listeners.get(0).isTls());
        for (Deployment deployment : tls.all(Deployment.class)) {
            var pod = deployment.getSpec().getTemplate().getSpec();
            Map<String, String> env = env(deployment);
            String name = deployment.getMetadata().getName();
            assertEquals("SASL_SSL", env.get("KAFKA_SECURITY_PROTOCOL"), name);
            assertEquals("/etc/mandate/kafka-ca/ca.crt", env.get("KAFKA_SSL_TRUSTSTORE_LOCATION"), name);
            assertEquals("mandate-kafka-kafka-bootstrap:9093", env.get("MANDATE_KAFKA_BOOTSTRAP"), name);
            assertEquals("mandate-kafka-cluster-ca-cert", pod.getVolumes().get(0).getSecret().getSecretName(), name);
            assertEquals("/etc/mandate/kafka-ca", pod.getContainers().get(0).getVolumeMounts().get(0).getMountPath(), name);
        }
        for (NetworkPolicy policy : servicePolicies(tls)) {
            assertTrue(allowsEgressOn(policy, 9093), policy.getMetadata().getName() + " reaches the TLS listener");
        }

        for (Keda.ScaledObject scaled : tls.all(Keda.ScaledObject.class)) {
            assertEquals("enable", scaled.spec().triggers().get(0).metadata().get("tls"), "KEDA reads the lag over TLS");
        }

        String refused = helmFails(template("existing-infrastructure-values.yaml", "--set", "kafka.tls.enabled=true"));
        assertTrue(refused.contains("kafka.tls.caSecret"), refused);
    }

    @Test
    void theCheckCatchesMisspelledFieldsAWrongTypeAndAMissingProbe() throws Exception {
        Manifests broken = Manifests.parse(Files.readString(
                HERE.resolve("src/test/resources/broken/manifests.yaml")));

        assertEquals(4, broken.errors.size(), broken.errors.toString());
        assertTrue(broken.errors.get(0).contains("unknown field(s) [readinesProbe]"), broken.errors.toString());
        assertTrue(broken.errors.get(1).contains("replicas"), broken.errors.toString());
        assertTrue(broken.errors.get(2).contains("KafkaTopic broken-topic") && broken.errors.get(2)
                .contains("unknown field(s) [partition]"), broken.errors.toString());
        assertTrue(broken.errors.get(3).contains("Cluster broken-db") && broken.errors.get(3).contains("\"owner\""),
                broken.errors.toString());
        List<String> violations = broken.ruleViolations();
        assertTrue(violations.stream().anyMatch(v -> v.contains("needs startup, liveness and readiness probes")),
                violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("no PodDisruptionBudget selects it")),
                violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("the selector contains the version")),
                violations.toString());
    }

    private static Manifests render(String values, String... more) throws Exception {
        return Manifests.parse(helm(template(values, more)));
    }

    /** {@code helm template} of the chart with a value set of {@code ci/} and more arguments. */
    private static String[] template(String values, String... more) {
        List<String> args = new ArrayList<>(List.of("template", "mandate", CHART.toString(), "-f",
                CHART.resolve("ci/" + values).toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** The environment a Deployment's container gets, by name. */
    private static Map<String, String> env(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));
    }

    /** Each service's NetworkPolicy (not the default deny). */
    private static List<NetworkPolicy> servicePolicies(Manifests manifests) {
        return manifests.all(NetworkPolicy.class).stream()
                .filter(policy -> !policy.getMetadata().getName().endsWith("default-deny")).toList();
    }

    private static boolean allowsEgressOn(NetworkPolicy policy, int port) {
        return policy.getSpec().getEgress().stream().anyMatch(rule -> rule.getPorts().stream()
                .anyMatch(allowed -> Integer.valueOf(port).equals(allowed.getPort().getIntVal())));
    }

    /** Runs helm expecting it to refuse; what it said. */
    private static String helmFails(String... args) throws IOException, InterruptedException {
        HelmRun run = HelmRun.of(args);
        assertTrue(run.exit() != 0, run.command() + " succeeded:\n" + run.out());
        return run.out();
    }

    private record HelmRun(String command, int exit, String out) {
        static HelmRun of(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(HERE.resolve("helm").toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new HelmRun(String.join(" ", command), process.waitFor(), out);
        }
    }

    private static String helm(String... args) throws IOException, InterruptedException {
        HelmRun run = HelmRun.of(args);
        assertEquals(0, run.exit(), run.command() + ":\n" + run.out());
        return run.out();
    }

    /**
     * A service's configuration as its files state it: every key (any profile) as the environment variable
     * that sets it, and the keys production must be given, those referenced as {@code ${key}} or given only
     * to the dev and test profiles (the secrets), with no value of their own.
     */
    record Config(Set<String> variables, Set<String> required) {

        static Config of(String service) {
            List<String> lines = new ArrayList<>();
            try {
                lines.addAll(Files.readAllLines(ROOT.resolve(service + "/src/main/resources/application.properties")));
                try (Stream<Path> libs = Files.list(ROOT.resolve("libs"))) {
                    for (Path lib : libs.toList()) {
                        Path defaults = lib.resolve("src/main/resources/META-INF/microprofile-config.properties");
                        if (Files.exists(defaults)) {
                            lines.addAll(Files.readAllLines(defaults));
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Set<String> base = new HashSet<>();
            Set<String> devAndTestOnly = new HashSet<>();
            Set<String> keys = new HashSet<>();
            Set<String> referenced = new HashSet<>();
            for (String line : lines) {
                if (line.isBlank() || line.startsWith("#") || !line.contains("=")) {
                    continue;
                }
                String key = line.substring(0, line.indexOf('=')).strip();
                String value = line.substring(line.indexOf('=') + 1).strip();
                Matcher references = REFERENCE.matcher(value);
                while (references.find()) {
                    referenced.add(references.group(1));
                }
                if (key.startsWith("%")) {
                    String profiles = key.substring(1, key.indexOf('.'));
                    key = key.substring(key.indexOf('.') + 1);
                    if (profiles.equals("dev,test") && !value.equals("true") && !value.equals("false")) {
                        devAndTestOnly.add(key);
                    }
                } else {
                    base.add(key);
                }
                keys.add(key);
            }
            keys.addAll(referenced);
            Set<String> required = new TreeSet<>();
            // Quarkus' own keys (quarkus.application.name, ...) have built-in values.
            referenced.stream().filter(k -> k.startsWith("mandate.") && !base.contains(k))
                    .forEach(k -> required.add(variable(k)));
            devAndTestOnly.stream().filter(k -> !base.contains(k)).forEach(k -> required.add(variable(k)));
            Set<String> variables = new TreeSet<>();
            keys.forEach(k -> variables.add(variable(k)));
            return new Config(variables, required);
        }

        /**
         * Whether {@code variable} sets a Kafka client setting: Quarkus hands {@code KAFKA_SSL_TRUSTSTORE_TYPE} to
         * the clients as {@code ssl.truststore.type}, so it must be a name the producer or consumer knows.
         */
        static boolean kafkaClientSetting(String variable) {
            if (!variable.startsWith("KAFKA_")) {
                return false;
            }
            String setting = variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            return ProducerConfig.configNames().contains(setting) || ConsumerConfig.configNames().contains(setting);
        }

        /** MicroProfile Config's rule: every character not a letter or digit becomes {@code _}, upper case. */
        static String variable(String key) {
            return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
        }
    }
}
