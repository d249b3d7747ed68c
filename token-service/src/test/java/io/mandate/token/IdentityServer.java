package io.mandate.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands where identity-service is for {@code PUT /v1/metadata-clients}, over real HTTP: refuses a caller
 * that is not token-service's {@code client_registrar}, keeps one agent per document URL and tenant, and
 * announces it on {@code mandate.identity} as identity-service does (a URL in {@value #REVOKED_PROPERTY}
 * is answered 409, as a revoked client). The e2e tests run the real identity-service.
 */
public class IdentityServer implements QuarkusTestResourceLifecycleManager {

    public static final String REVOKED_PROPERTY = "mandate.test.identity-revoked-client";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> agents = new ConcurrentHashMap<>();
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/metadata-clients", this::register);
        server.createContext("/v1/dynamic-clients", this::registerDynamic);
        server.start();
        return Map.of("mandate.token.identity.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void register(HttpExchange exchange) throws IOException {
        JsonNode caller = claims(exchange.getRequestHeaders().getFirst("Authorization"));
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!"PUT".equals(exchange.getRequestMethod()) || !"svc_token-service".equals(caller.path("sub").asText())
                || !caller.path("roles").toString().equals("[\"client_registrar\"]")) {
            answer(exchange, 403, Map.of("status", 403, "code", "forbidden", "detail", "not token-service's registrar"));
            return;
        }
        String tenantId = caller.path("tenant_id").asText();
        String url = body.path("client_id").asText();
        if (url.equals(System.getProperty(REVOKED_PROPERTY))) {
            answer(exchange, 409, Map.of("status", 409, "code", "agent_revoked", "detail", "the agent is revoked"));
            return;
        }
        String key = tenantId + " " + url;
        boolean known = agents.containsKey(key);
        String agentId = agents.computeIfAbsent(key, k -> TypeIds.newId("agt"));
        long version = versions.merge(key, 1L, Long::sum);
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("type", "app");
        client.put("redirect_uris", body.path("redirect_uris"));
        client.put("logo_uri", body.path("logo_uri").asText(null));
        client.put("token_endpoint_auth_method", "none");
        client.put("client_id_url", url);
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("id", agentId);
        agent.put("tenant_id", tenantId);
        agent.put("name", body.path("client_name").asText());
        agent.put("owner_email", "");
        agent.put("permissions", List.of("*"));
        agent.put("tier", "free");
        agent.put("status", "active");
        agent.put("trust_level", 1);
        agent.put("version", version);
        agent.put("client", client);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, TestEvents.from("identity-service", known ? "agent.updated" : "agent.registered")
                    .subject(agentId).tenant(tenantId).partitionKey(agentId).actor("system", "svc_token-service")
                    .data(Map.of("tenant_id", tenantId, "agent_id", agentId, "agent", agent)).json());
        }
        answer(exchange, known ? 200 : 201, agent);
    }

    /** {@code POST /v1/dynamic-clients}: a new agent each time, with an API key unless public. */
    private void registerDynamic(HttpExchange exchange) throws IOException {
        JsonNode caller = claims(exchange.getRequestHeaders().getFirst("Authorization"));
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!"svc_token-service".equals(caller.path("sub").asText())
                || !caller.path("roles").toString().equals("[\"client_registrar\"]")) {
            answer(exchange, 403, Map.of("status", 403, "code", "forbidden", "detail", "not token-service's registrar"));
            return;
        }
        String tenantId = caller.path("tenant_id").asText();
        String agentId = TypeIds.newId("agt");
        String method = body.path("token_endpoint_auth_method").asText();
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("type", "app");
        client.put("redirect_uris", body.path("redirect_uris"));
        client.put("logo_uri", body.path("logo_uri").asText(null));
        client.put("token_endpoint_auth_method", method);
        client.put("registration", "dynamic");
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("id", agentId);
        agent.put("tenant_id", tenantId);
        agent.put("name", body.path("client_name").asText("Dynamically registered client"));
        agent.put("owner_email", "");
        agent.put("permissions", List.of("*"));
        agent.put("tier", "free");
        agent.put("status", "active");
        agent.put("trust_level", 1);
        agent.put("version", 1);
        agent.put("client", client);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, TestEvents.from("identity-service", "agent.registered")
                    .subject(agentId).tenant(tenantId).partitionKey(agentId).actor("system", "svc_token-service")
                    .data(Map.of("tenant_id", tenantId, "agent_id", agentId, "agent", agent)).json());
        }
        String secret = null;
        if (!method.equals("none")) {
            IdentityFixtures.TestAgent withKey = new IdentityFixtures.TestAgent(agentId,
                    io.mandate.credentials.ApiKey.generate().value(), TypeIds.newId("cred"), tenantId);
            IdentityFixtures.publishVerifier(withKey, "active", null);
            secret = withKey.apiKey();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("agent", agent);
        answer.put("client_secret", secret);
        answer(exchange, 201, answer);
    }

    private static JsonNode claims(String authorization) throws IOException {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.split("\\.").length != 3) {
            return JSON.createObjectNode();
        }
        return JSON.readTree(Base64.getUrlDecoder().decode(authorization.split("\\.")[1]));
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", status < 300 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
