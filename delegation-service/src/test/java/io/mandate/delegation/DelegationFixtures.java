package io.mandate.delegation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.api.TypeIds;
import io.mandate.auth.KnownHumans;
import io.mandate.delegation.repository.AgentStatusRepository;
import io.mandate.delegation.repository.ScopeCatalogueRepository;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicWriter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Agents and humans made the way identity-service announces them (events on {@code mandate.identity}),
 * awaited in delegation-service's projections; callers' bearer tokens from the test issuer.
 */
@ApplicationScoped
public class DelegationFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentStatusRepository agents;
    private final KnownHumans humans;
    private final ScopeCatalogueRepository catalogues;

    DelegationFixtures(AgentStatusRepository agents, KnownHumans humans, ScopeCatalogueRepository catalogues) {
        this.agents = agents;
        this.humans = humans;
        this.catalogues = catalogues;
    }

    public static String newTenant() {
        return "ten_" + TypeIds.randomToken(8);
    }

    /** An active agent with these permissions, known to delegation-service when this returns. */
    public String agent(String tenantId, String... permissions) {
        String id = TypeIds.newId("agt");
        publishAgent("agent.registered", id, tenantId, "active", List.of(permissions), 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> tx(() -> agents.find(id).isPresent()));
        return id;
    }

    /** A human with these roles and permissions, known to delegation-service when this returns. */
    public String human(String tenantId, List<String> roles, String... permissions) {
        String id = TypeIds.newId("usr");
        publishHuman("human.registered", id, tenantId, "active", roles, List.of(permissions), 1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> tx(() -> humans.permissions(tenantId, id).isPresent()));
        return id;
    }

    /**
     * A catalogue entry added or changed ({@code permission.added}, {@code .updated}) as identity-service
     * announces it, applied by delegation-service when this returns.
     */
    public void permission(String tenantId, String type, String permission, String... implies) {
        send(Topics.IDENTITY, tenantId, type, permission, tenantId, Map.of("tenant_id", tenantId, "permission", permission,
                "implies", List.of(implies)));
        await().atMost(Duration.ofSeconds(20)).until(() -> tx(
                () -> List.of(implies).equals(catalogues.of(tenantId).entries().get(permission))));
    }

    public static void publishAgent(String type, String id, String tenantId, String status, List<String> permissions,
            long version) {
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("id", id);
        agent.put("tenant_id", tenantId);
        agent.put("status", status);
        agent.put("permissions", permissions);
        agent.put("tier", "free");
        agent.put("version", version);
        send(Topics.IDENTITY, id, type, id, tenantId, Map.of("tenant_id", tenantId, "agent_id", id, "agent", agent));
    }

    public static void publishHuman(String type, String id, String tenantId, String status, List<String> roles,
            List<String> permissions, long version) {
        Map<String, Object> human = new LinkedHashMap<>();
        human.put("id", id);
        human.put("tenant_id", tenantId);
        human.put("email", id + "@example.com");
        human.put("roles", roles);
        human.put("permissions", permissions);
        human.put("status", status);
        human.put("version", version);
        send(Topics.IDENTITY, id, type, id, tenantId, Map.of("tenant_id", tenantId, "user_id", id, "human", human));
    }

    private static void send(String topic, String key, String type, String subject, String tenantId, Object data) {
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(topic, key, TestEvents.from("identity-service", type).subject(subject)
                    .time("2026-11-22T10:00:00Z").tenant(tenantId).partitionKey(key).put("data", data).json());
        }
    }

    /** Requests as a human of {@code tenantId} with {@code roles}. */
    public static RequestSpecification asHuman(String userId, String tenantId, String... roles) {
        return as(userId, Map.of("tenant_id", tenantId, "roles", List.of(roles)));
    }

    /** Requests as the bootstrap platform admin, acting in {@code tenantId}. */
    public static RequestSpecification asAdmin(String tenantId) {
        return given().header("Authorization", "Bearer test-admin-token").header("Mandate-Tenant", tenantId)
                .contentType(ContentType.JSON);
    }

    public static RequestSpecification asAgent(String agentId, String tenantId) {
        return as(agentId, Map.of("tenant_id", tenantId));
    }

    private static RequestSpecification as(String subject, Map<String, Object> claims) {
        String token = TestIssuer.named(TestIssuers.MANDATE).token(subject, claims, Duration.ofMinutes(5));
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    /** A grant request body. */
    public static Map<String, Object> grantBody(String agentId, long expiresIn, String... scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent_id", agentId);
        body.put("scopes", List.of(scopes));
        body.put("expires_in", expiresIn);
        return body;
    }

    private static <T> T tx(java.util.concurrent.Callable<T> work) {
        return QuarkusTransaction.requiringNew().call(work);
    }
}
