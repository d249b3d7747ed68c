package io.mandate.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands where delegation-service is, over real HTTP: serves the JWKS a test put in the system property
 * {@value #JWKS_PROPERTY} (tests and this resource live in different class loaders), and makes a grant for
 * every {@code POST /v1/delegations} and a pending request for every {@code POST /v1/delegations/requests},
 * keeping the last request's body and bearer token in
 * {@value #LAST_GRANT_PROPERTY}. token-service's own tests check what it sends and does with the answer;
 * the e2e tests run the real delegation-service.
 */
public class DelegationServer implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "http://delegation.test";
    public static final String JWKS_PROPERTY = "mandate.test.delegation-jwks";
    public static final String LAST_GRANT_PROPERTY = "mandate.test.delegation-last-grant";
    /** A grant request whose purpose contains this is refused, as delegation-service refuses a grant beyond authority. */
    public static final String REFUSE = "refuse-me";

    private final AtomicInteger grants = new AtomicInteger();

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/.well-known/delegation-keys", exchange -> {
            byte[] body = System.getProperty(JWKS_PROPERTY, "{\"keys\":[]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/v1/delegations", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            System.setProperty(LAST_GRANT_PROPERTY, exchange.getRequestHeaders().getFirst("Authorization") + "\n" + body);
            var request = JSON.readTree(body);
            boolean refused = request.path("purpose").asText().contains(REFUSE);
            boolean asking = exchange.getRequestURI().getPath().endsWith("/requests");
            String answer = asking && !refused
                    ? JSON.writeValueAsString(Map.of("id", "dlr_test" + grants.incrementAndGet() + System.nanoTime(),
                            "status", "pending", "expires_at", Instant.now().plusSeconds(600).toString()))
                    : refused
                    ? "{\"status\":403,\"code\":\"delegation_forbidden\",\"detail\":\"beyond your authority\"}"
                    : JSON.writeValueAsString(Map.of("delegation", Map.of("id", "dlg_test" + grants.incrementAndGet()
                            + System.nanoTime(), "scopes", request.path("scopes"), "expires_at",
                            Instant.now().plusSeconds(request.path("expires_in").asLong()).toString())));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", refused ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(refused ? 403 : 201, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return Map.of("mandate.token.delegation.issuer", ISSUER,
                "mandate.token.delegation.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "mandate.token.delegation.keys-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/delegation-keys",
                "mandate.token.delegation.keys-refresh-min-interval", "0s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
