package io.mandate.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * examples/reports-api (mandate-resource-server in a Quarkus app) as a process on 18090, registered as a resource
 * of {@code tenant} under a URI of its own per run (a URI names one resource on the platform, and the test database
 * outlives runs). It asks for a DPoP nonce of its own and refetches Mandate's keys every 2 s.
 */
final class ReportsApi {

    /** 18090 and 18091 are token-service replicas (TokenReplicasIT, ChaosIT) and the MCP server (McpIT). */
    static final int PORT = 18095;

    private static ReportsApi running;

    final String url = "http://127.0.0.1:" + PORT;
    final String audience = url + "/reports-" + Long.toString(System.nanoTime(), 36);
    final Tenant tenant;
    private final ServiceProcess process;

    private ReportsApi(Tenant tenant) throws Exception {
        this.tenant = tenant;
        tenant.admin().body(Map.of("uri", audience, "name", "Reports API", "scopes", List.of(
                Map.of("scope", "reports:read", "description", "Read reports"),
                Map.of("scope", "reports:write", "description", "Write reports", "implies", List.of("reports:read")))))
                .post("/v1/resources").then().statusCode(201);
        process = new ServiceProcess("examples/reports-api", PORT, Map.of(
                "MANDATE_ISSUER", Platform.token.url(),
                "REPORTS_API_URL", audience,
                "REPORTS_API_JWKS_LIFETIME", "2s",
                "REPORTS_API_REQUIRE_DPOP_NONCE", "true"));
        process.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::requestStop));
        process.awaitReady(Duration.ofSeconds(60));
    }

    /** The API, started once per test JVM for a tenant of its own. */
    static synchronized ReportsApi start() throws Exception {
        Platform.start();
        if (running == null) {
            running = new ReportsApi(Tenant.create("reports api"));
        }
        return running;
    }
}
