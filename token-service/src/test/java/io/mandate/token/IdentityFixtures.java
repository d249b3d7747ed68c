package io.mandate.token;

import static org.awaitility.Awaitility.await;

import io.mandate.api.TypeIds;
import io.mandate.credentials.ApiKey;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestInfra;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Plays identity-service: publishes an agent's snapshot and its API-key verifier on the real topics,
 * exactly as identity-service's outbox does, so token-service's projections fill the way they do in
 * production.
 */
public final class IdentityFixtures {

    /** The pepper of application.properties' test profile. */
    public static final byte[] PEPPER = Base64.getDecoder().decode("dGVzdC1wZXBwZXItMzItYnl0ZXMtbG9uZy4uLi4uLi4=");

    public record TestAgent(String id, String apiKey, String credentialId, String tenantId) {

        public TestAgent(String id, String apiKey, String credentialId) {
            this(id, apiKey, credentialId, "ten_test");
        }
    }

    private IdentityFixtures() {
    }

    public static TestAgent registerAgent(List<String> permissions) {
        return registerAgent(permissions, "ten_test", "pro");
    }

    /** An agent token-service knows: its projections are written when this returns. */
    public static TestAgent registerAgent(List<String> permissions, String tenantId, String tier) {
        TestAgent agent = announceAgent(permissions, tenantId, tier);
        // A test class that has just started the service may otherwise outrun its consumers joining their
        // group, for longer than a token request waits for a projection it has not seen.
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from credential_projection where credential_id = ?", agent.credentialId()) == 1
                && count("select count(*) from agent_projection where agent_id = ?", agent.id()) == 1);
        return agent;
    }

    /** Publishes an agent and its API key as identity-service does, and returns at once. */
    public static TestAgent announceAgent(List<String> permissions, String tenantId, String tier) {
        String agentId = TypeIds.newId("agt");
        String credentialId = TypeIds.newId("cred");
        ApiKey key = ApiKey.generate();
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.registered", agentId, tenantId, tier, "active",
                    permissions, 0));
        }
        TestAgent agent = new TestAgent(agentId, key.value(), credentialId, tenantId);
        publishVerifier(agent, "active", null);
        return agent;
    }

    /**
     * Registers a public key for the agent as identity-service does: a {@code jwk} verifier keyed by the
     * RFC 7638 thumbprint, carrying the public JWK.
     *
     * @return the credential id
     */
    public static String publishPublicKey(TestAgent agent, com.nimbusds.jose.jwk.JWK publicKey, String status) {
        String credentialId = TypeIds.newId("cred");
        publishPublicKey(agent, credentialId, publicKey, status);
        return credentialId;
    }

    /** Publishes (again) the verifier of a public key, e.g. revoked. @return the CloudEvents id */
    public static String publishPublicKey(TestAgent agent, String credentialId, com.nimbusds.jose.jwk.JWK publicKey,
            String status) {
        try {
            return publishKey(agent, credentialId, "jwk", publicKey.computeThumbprint().toString(),
                    publicKey.toPublicJWK().toJSONString(), status);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes an ASCII-armored OpenPGP public key as the agent's {@code pgp} credential. @return the CloudEvents id */
    public static String publishPgpKey(TestAgent agent, String credentialId, String fingerprint, String armored,
            String status) {
        return publishKey(agent, credentialId, "pgp", fingerprint, armored, status);
    }

    private static String publishKey(TestAgent agent, String credentialId, String kind, String keyId, String publicKey,
            String status) {
        String verifier = publicKey.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                .replace("\r", "\\r");
        String json = event("credential.verifier", credentialId, agent.id(), """
                    {"tenant_id":"%s","credential_id":"%s","agent_id":"%s","kind":"%s","key_id":"%s",
                     "verifier":"%s","status":"%s","expires_at":null}"""
                .formatted(agent.tenantId(), credentialId, agent.id(), kind, keyId, verifier, status));
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY_CREDENTIALS, credentialId, json);
        }
        return TopicReader.parse(json).path("id").asText();
    }

    /**
     * Publishes the agent's key verifier as identity-service does after a revocation or rotation.
     *
     * @return the CloudEvents id, to see when token-service has processed it
     */
    public static String publishVerifier(TestAgent agent, String status, Instant expiresAt) {
        ApiKey key = ApiKey.parse(agent.apiKey()).orElseThrow();
        String expires = expiresAt == null ? "null" : "\"" + expiresAt + "\"";
        String json = event("credential.verifier", agent.credentialId(), agent.id(), """
                    {"tenant_id":"%s","credential_id":"%s","agent_id":"%s","kind":"api_key","key_id":"%s",
                     "verifier":"%s","status":"%s","expires_at":%s}"""
                .formatted(agent.tenantId(), agent.credentialId(), agent.id(), key.keyId(), key.verifier(PEPPER), status,
                        expires));
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY_CREDENTIALS, agent.credentialId(), json);
        }
        return TopicReader.parse(json).path("id").asText();
    }

    /**
     * Publishes a human's login verifier as identity-service does on create, change and disable.
     *
     * @return the CloudEvents id
     */
    public static String publishHuman(String userId, String username, String passwordHash, List<String> roles,
            String status, long version) {
        return publishHuman(userId, username, passwordHash, roles, List.of(), status, version);
    }

    /** As {@link #publishHuman(String, String, String, List, String, long)}, with the account's permissions. */
    public static String publishHuman(String userId, String username, String passwordHash, List<String> roles,
            List<String> permissions, String status, long version) {
        return publishHuman("ten_test", userId, username, passwordHash, roles, permissions, status, version);
    }

    /** The same for an account of {@code tenantId}. */
    public static String publishHuman(String tenantId, String userId, String username, String passwordHash,
            List<String> roles, List<String> permissions, String status, long version) {
        String json = humanVerifier(tenantId, userId, username, passwordHash, roles, permissions, status, version);
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY_CREDENTIALS, userId, json);
        }
        return TopicReader.parse(json).path("id").asText();
    }

    /** The {@code human.verifier} event identity-service writes on {@link Topics#IDENTITY_CREDENTIALS}. */
    public static String humanVerifier(String userId, String username, String passwordHash, List<String> roles,
            List<String> permissions, String status, long version) {
        return humanVerifier("ten_test", userId, username, passwordHash, roles, permissions, status, version);
    }

    /** The same for an account of {@code tenantId}. */
    public static String humanVerifier(String tenantId, String userId, String username, String passwordHash,
            List<String> roles, List<String> permissions, String status, long version) {
        return event("human.verifier", userId, userId, """
                {"tenant_id":"%s","user_id":"%s","username":"%s","email":"%s@example.com","password_hash":"%s",
                 "roles":[%s],"permissions":[%s],"status":"%s","version":%d}"""
                .formatted(tenantId, userId, username, username, passwordHash, quoted(roles), quoted(permissions),
                        status, version));
    }

    /**
     * Announces a catalogue entry added or changed ({@code permission.added}, {@code .updated}) as
     * identity-service does; token-service has applied it when this returns.
     */
    public static void publishPermission(String tenantId, String type, String permission, String description,
            String... implies) {
        Map<String, Object> data = new java.util.HashMap<>(Map.of("tenant_id", tenantId, "permission", permission,
                "implies", List.of(implies)));
        data.put("description", description);
        String event = TestEvents.from("identity-service", type).subject(permission).time("2026-12-05T00:00:00Z")
                .tenant(tenantId).partitionKey(tenantId).actor("system", "test").data(data).json();
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, tenantId, event);
        }
        String id = TopicReader.parse(event).path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(id));
    }

    /**
     * Announces a protected resource ({@code resource.registered}, {@code .updated}, {@code .removed}) as
     * identity-service does; token-service has applied it when this returns. {@code scopes} maps each scope
     * to what it implies.
     */
    public static void publishResource(String type, String tenantId, String resourceId, String uri,
            Map<String, List<String>> scopes, Integer lifetime, boolean dpopRequired, long version) {
        publishResource(type, tenantId, resourceId, uri, scopes, lifetime, dpopRequired, version, null);
    }

    /** The same with the resource's own claim profile ({@code claims}; null for the tenant's). */
    public static void publishResource(String type, String tenantId, String resourceId, String uri,
            Map<String, List<String>> scopes, Integer lifetime, boolean dpopRequired, long version, List<String> claims) {
        Map<String, Object> resource = new java.util.HashMap<>();
        resource.put("id", resourceId);
        resource.put("tenant_id", tenantId);
        resource.put("uri", uri);
        resource.put("name", "Test resource");
        resource.put("scopes", scopes.entrySet().stream().map(scope -> Map.of("scope", scope.getKey(),
                "description", "Use " + scope.getKey(), "implies", scope.getValue())).toList());
        resource.put("access_token_lifetime", lifetime);
        resource.put("dpop_required", dpopRequired);
        resource.put("metadata_hosted", true);
        resource.put("protected_resource_metadata", Map.of("resource", uri, "authorization_servers",
                List.of("http://token.test"), "scopes_supported", List.copyOf(scopes.keySet())));
        resource.put("version", version);
        resource.put("claims", claims);
        String event = TestEvents.from("identity-service", type).subject(resourceId).time("2026-12-05T00:00:00Z")
                .tenant(tenantId).partitionKey(resourceId).actor("system", "test")
                .data(Map.of("tenant_id", tenantId, "resource_id", resourceId, "resource", resource)).json();
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, resourceId, event);
        }
        String id = TopicReader.parse(event).path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(id));
    }

    /** True once token-service's projection has processed the event (its inbox row exists). */
    public static boolean processed(String eventId) {
        return onTokenDatabase("select 1 from processed_event where event_id = ?", new String[] {eventId},
                query -> {
                    try (var rs = query.executeQuery()) {
                        return rs.next();
                    }
                });
    }

    /** Runs one statement on token-service's database, as another replica (or an operator) would. */
    public static void sql(String statement, String... parameters) {
        onTokenDatabase(statement, parameters, PreparedStatement::executeUpdate);
    }

    /** The one number {@code query} (e.g. a {@code select count(*) ...}) reads from token-service's database. */
    public static long count(String query, String... parameters) {
        return onTokenDatabase(query, parameters, select -> {
            try (var rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The one text {@code query} reads from token-service's database. */
    public static String string(String query, String... parameters) {
        return onTokenDatabase(query, parameters, select -> {
            try (var rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    private interface StatementCall<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private static <T> T onTokenDatabase(String statement, String[] parameters, StatementCall<T> call) {
        try (var connection = TestInfra.asAdmin("mandate_token");
                var prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                prepared.setString(i + 1, parameters[i]);
            }
            return call.run(prepared);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void changeStatus(String agentId, String type, String status, List<String> permissions, long version) {
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, agentEvent(type, agentId, "ten_test", "pro", status, permissions, version));
        }
    }

    /** An {@code agent.*} event with the agent's snapshot, as identity-service writes it on {@link Topics#IDENTITY}. */
    public static String agentEvent(String type, String agentId, String tenantId, String tier, String status,
            List<String> permissions, long version) {
        return agentEvent(type, agentId, tenantId, tier, status, permissions, version, "null");
    }

    /** The same with the agent's OAuth client settings ({@code client}, JSON, or {@code null}). */
    public static String agentEvent(String type, String agentId, String tenantId, String tier, String status,
            List<String> permissions, long version, String client) {
        return agentEvent(type, agentId, tenantId, tier, status, permissions, version, client, "{}");
    }

    /** An {@code agent.*} event with the agent's metadata ({@code metadata}: a JSON object). */
    public static String agentEvent(String type, String agentId, String tenantId, String tier, String status,
            List<String> permissions, long version, String client, String metadata) {
        return event(type, agentId, agentId, """
                {"tenant_id":"%s","agent_id":"%s","agent":{"id":"%s","tenant_id":"%s","name":"bot",
                 "owner_email":"o@example.com","permissions":[%s],"metadata":%s,"tier":"%s","status":"%s",
                 "trust_level":2,"version":%d,"client":%s}}""".formatted(tenantId, agentId, agentId, tenantId,
                quoted(permissions), metadata, tier, status, version, client));
    }

    /** An agent with {@code metadata} (a JSON object) and an API key; its projections are written when this returns. */
    public static TestAgent registerAgentWithMetadata(List<String> permissions, String tenantId, String metadata) {
        String agentId = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.registered", agentId, tenantId, "pro", "active",
                    permissions, 0, "null", metadata));
        }
        TestAgent agent = new TestAgent(agentId, ApiKey.generate().value(), TypeIds.newId("cred"), tenantId);
        publishVerifier(agent, "active", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from credential_projection where credential_id = ?", agent.credentialId()) == 1
                && count("select count(*) from agent_projection where agent_id = ?", agentId) == 1);
        return agent;
    }

    /**
     * An agent registered as an OAuth client for the browser flows ({@code client}: its settings as JSON); with
     * an API key unless the settings make it public. Its projections are written when this returns.
     */
    public static TestAgent registerClient(List<String> permissions, String tenantId, String client) {
        String agentId = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agentId, agentEvent("agent.registered", agentId, tenantId, "pro", "active",
                    permissions, 0, client));
        }
        boolean isPublic = client.contains("\"none\"");
        TestAgent agent = new TestAgent(agentId, isPublic ? null : ApiKey.generate().value(), TypeIds.newId("cred"),
                tenantId);
        if (!isPublic) {
            publishVerifier(agent, "active", null);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from agent_projection where agent_id = ? and client_type is not null", agentId) == 1
                && (isPublic || count("select count(*) from credential_projection where credential_id = ?",
                        agent.credentialId()) == 1));
        return agent;
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").reduce((a, b) -> a + "," + b).orElse("");
    }

    private static String event(String type, String subject, String key, String data) {
        return TestEvents.from("identity-service", type).subject(subject).time("2026-11-22T00:00:00Z")
                .tenant("ten_test").partitionKey(key).actor("system", "test").data(data).json();
    }
}
