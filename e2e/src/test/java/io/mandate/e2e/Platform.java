package io.mandate.e2e;

import static io.restassured.RestAssured.given;

import io.mandate.testsupport.TestInfra;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five services as packaged JVM processes on ports 1808x, against the test PostgreSQL and Kafka;
 * started once per test JVM (by the first test class that asks) and stopped when the JVM exits.
 */
final class Platform {

    static final String ADMIN_TOKEN = "e2e-admin-token";
    static final String ADMIN = "Bearer " + ADMIN_TOKEN;
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    static ServiceProcess token;
    static ServiceProcess identity;
    static ServiceProcess delegation;
    static ServiceProcess audit;
    static ServiceProcess webhook;
    /** Every service exports its traces here (OTLP over HTTP), as to a collector in a cluster. */
    static OtlpReceiver traces;
    private static boolean started;
    private static final Map<String, String> ENV = new LinkedHashMap<>();
    private static final List<ServiceProcess> RUNNING = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Platform() {
    }

    static synchronized void start() throws Exception {
        if (started) {
            return;
        }
        retireLeftoverWebhookEndpoints();
        Map<String, String> env = ENV;
        env.put("MANDATE_DB_HOST", TestInfra.dbHost());
        env.put("MANDATE_DB_PORT", Integer.toString(TestInfra.dbPort()));
        env.put("MANDATE_KAFKA_BOOTSTRAP", TestInfra.kafkaBootstrap());
        env.put("MANDATE_ADMIN_BOOTSTRAP_TOKEN", ADMIN_TOKEN);
        // Each service's two database roles (runtime and migration) have this password on the test server.
        env.put("MANDATE_DB_PASSWORD", TestInfra.ROLE_PASSWORD);
        env.put("MANDATE_DB_MIGRATION_PASSWORD", TestInfra.ROLE_PASSWORD);
        // Each service signs in to Kafka as itself; on the test broker every service's password is this.
        env.put("MANDATE_KAFKA_PASSWORD", TestInfra.ROLE_PASSWORD);
        // The databases are the ones the modules' tests used, so the keys are the test profile's:
        // a signing key sealed under one key-encryption key cannot be opened with another.
        env.put("MANDATE_CREDENTIALS_PEPPER", "dGVzdC1wZXBwZXItMzItYnl0ZXMtbG9uZy4uLi4uLi4=");
        env.put("MANDATE_TOKEN_KEY_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        env.put("MANDATE_WEBHOOK_SECRET_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        env.put("MANDATE_AUDIT_KEY_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        env.put("MANDATE_DELEGATION_KEY_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        // token-service exchanges the delegation tokens of the delegation-service on 18082.
        env.put("MANDATE_DELEGATION_ISSUER", "http://127.0.0.1:18082");
        env.put("MANDATE_TOKEN_DELEGATION_ISSUER", "http://127.0.0.1:18082");
        env.put("MANDATE_TOKEN_DELEGATION_KEYS_URL", "http://127.0.0.1:18082/.well-known/delegation-keys");
        // The consent and approvals pages make and revoke grants there, as the person signed in.
        env.put("MANDATE_TOKEN_DELEGATION_URL", "http://127.0.0.1:18082");
        env.put("MANDATE_TOKEN_IDENTITY_URL", "http://127.0.0.1:18081");
        // MCP clients serve their Client ID Metadata Documents on loopback, over https with this run's certificate.
        env.put("MANDATE_TOKEN_CLIENT_METADATA_ALLOW_LOOPBACK", "true");
        env.put("MANDATE_TOKEN_CLIENT_METADATA_TRUST_CERTIFICATES", clientCertificate().toAbsolutePath().toString());
        // Agents may onboard themselves with an OpenPGP key (SWARM), into ten_default unless they name a tenant.
        env.put("MANDATE_TOKEN_REGISTRATION_DEFAULT_TENANT", "ten_default");
        env.put("MANDATE_TOKEN_DEFAULTS_AGENT_SELF_REGISTRATION", "open");
        env.put("MANDATE_TOKEN_DEFAULTS_SELF_REGISTERED_PERMISSIONS", "read:reports");
        env.put("MANDATE_WEBHOOK_ALLOW_LOOPBACK", "true");
        env.put("MANDATE_WEBHOOK_ALLOW_HTTP", "true");
        // Retries every second, so that deliveries due across a SIGKILL happen within the test.
        env.put("MANDATE_WEBHOOK_RETRY_SCHEDULE", "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s");
        // Every service validates bearer tokens against token-service's issuer.
        env.put("MANDATE_TOKEN_SERVICE_URL", "http://127.0.0.1:18080");
        env.put("MANDATE_TOKEN_ISSUER", "http://127.0.0.1:18080");
        // A rotated key signs after one JWKS cache lifetime plus one reload: seconds here, not minutes.
        env.put("MANDATE_TOKEN_JWKS_MAX_AGE", "2s");
        env.put("MANDATE_TOKEN_KEY_REFRESH_INTERVAL", "1s");
        // The enterprise IdP of the sign-in page: Keycloak, started by the test that signs in there (token-service
        // reads its discovery document at the first such sign-in).
        env.put("MANDATE_TOKEN_IDP_ISSUER", Keycloak.ISSUER);
        env.put("MANDATE_TOKEN_IDP_CLIENT_ID", Keycloak.CLIENT_ID);
        env.put("MANDATE_TOKEN_IDP_CLIENT_SECRET", Keycloak.CLIENT_SECRET);
        env.put("MANDATE_TOKEN_IDP_NAME", "Acme SSO");
        env.put("MANDATE_TOKEN_IDP_TENANT_ID", "ten_default");
        traces = new OtlpReceiver();
        env.put("QUARKUS_OTEL_SDK_DISABLED", "false");
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces.endpoint());
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        token = new ServiceProcess("token-service", 18080, env);
        identity = new ServiceProcess("identity-service", 18081, env);
        delegation = new ServiceProcess("delegation-service", 18082, env);
        audit = new ServiceProcess("audit-service", 18083, env);
        webhook = new ServiceProcess("webhook-service", 18084, env);
        // All at once: the test JVM is given only so long to exit, and a process left behind would hold its port
        // (also when another service failed to start).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RUNNING.forEach(ServiceProcess::requestStop);
            for (ServiceProcess service : RUNNING) {
                try {
                    service.awaitStop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        for (ServiceProcess service : List.of(token, identity, delegation, audit, webhook)) {
            RUNNING.add(service);
            service.start();
        }
        for (ServiceProcess service : List.of(token, identity, delegation, audit, webhook)) {
            service.awaitReady(READY_TIMEOUT);
        }
        started = true;
    }

    /**
     * Endpoints left in the test database by earlier tests point at receivers long gone; with the retry
     * schedule below each would be retried every second, loading the machine these tests time.
     */
    private static void retireLeftoverWebhookEndpoints() throws java.sql.SQLException {
        try (var connection = TestInfra.asAdmin("mandate_webhook"); var statement = connection.createStatement()) {
            statement.execute("""
                    do $$ begin
                      if to_regclass('webhook_endpoint') is not null then
                        update webhook_endpoint set active = false where active;
                      end if;
                    end $$""");
        }
    }

    record Agent(String id, String apiKey) {
    }

    /** Where a test's https server on 127.0.0.1 finds its key and certificate ({@code key.pem}, {@code cert.pem}). */
    static final Path CLIENT_TLS = Path.of("target", "client-tls");

    /** A certificate for 127.0.0.1 made for this run (openssl), which token-service trusts for metadata documents. */
    private static Path clientCertificate() throws IOException, InterruptedException {
        Files.createDirectories(CLIENT_TLS);
        Path certificate = CLIENT_TLS.resolve("cert.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", CLIENT_TLS.resolve("key.pem").toString(), "-out",
                certificate.toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (openssl.waitFor() != 0) {
            throw new IOException("openssl could not make the test certificate: " + output);
        }
        return certificate;
    }

    /** Another replica of {@code service} (same database, same consumer group) on {@code port}, ready. */
    static ServiceProcess replica(String service, int port) throws Exception {
        ServiceProcess replica = new ServiceProcess(service, port, ENV);
        RUNNING.add(replica);
        replica.start();
        replica.awaitReady(READY_TIMEOUT);
        return replica;
    }

    static Agent register(String name) {
        Response response = given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", name, "owner_email", "owner@example.com",
                        "permissions", List.of("crm:contacts:read", "crm:deals:*")))
                .post("/v1/agents");
        response.then().statusCode(201);
        return new Agent(response.path("agent.id"), response.path("credentials.api_key"));
    }

    static Response requestToken(Agent agent) {
        return given().baseUri(token.url()).auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token");
    }
}
