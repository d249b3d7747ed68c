package io.mandate.audit.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TestInfra;
import io.mandate.testsupport.TestIssuer;
import io.mandate.testsupport.TestIssuers;
import io.mandate.testsupport.TopicWriter;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Tenants with recorded chains, and the ways the tests reach them: the API, and the database as a given role. */
final class AuditChains {

    static final String ADMIN = "Bearer test-admin-token";
    /** The role audit-service runs as: what a compromised service (or a stolen password of it) can do. */
    static final String SERVICE_ROLE = "mandate_audit_app";

    private AuditChains() {
    }

    /** The platform admin, reading {@code tenantId}. */
    static RequestSpecification as(String tenantId) {
        return given().header("Authorization", ADMIN).header("Mandate-Tenant", tenantId);
    }

    static String human(String tenantId, String role) {
        return "Bearer " + TestIssuer.named(TestIssuers.MANDATE).token(TypeIds.newId("usr"),
                Map.of("tenant_id", tenantId, "roles", List.of(role), "email", "h@example.com"), Duration.ofMinutes(5));
    }

    /** An event as the service that owns {@code topic} would write it. */
    static String event(String topic, String tenantId, String agentId, int n) {
        // data as written by hand: the chain hashes the event as it arrived (1.50, the escapes).
        return TestEvents.withSource(Topics.ownerSource(topic).orElseThrow(), "agent.verified").subject(agentId)
                .time("2026-11-22T10:00:0" + n % 10 + ".5Z").tenant(tenantId).partitionKey(agentId)
                .data("""
                        {"tenant_id":"%s","agent_id":"%s","n":%d,"ratio":1.50,"note":"line\\nbreak \\u00e9"}"""
                        .formatted(tenantId, agentId, n)).json();
    }

    /** A fresh tenant with {@code count} events recorded in its chain. */
    static String tenantWithEvents(int count) {
        String tenantId = "ten_chain" + TypeIds.randomToken(5).toLowerCase();
        String agentId = TypeIds.newId("agt");
        try (TopicWriter writer = new TopicWriter()) {
            for (int i = 1; i <= count; i++) {
                String topic = i % 2 == 0 ? Topics.TOKEN : Topics.IDENTITY;
                writer.send(topic, agentId, event(topic, tenantId, agentId, i));
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> verify(tenantId, null).getLong("checked") == count);
        return tenantId;
    }

    static JsonPath verify(String tenantId, String query) {
        return as(tenantId).get("/v1/audit/verify" + (query == null ? "" : "?" + query)).then().statusCode(200)
                .extract().jsonPath();
    }

    /** A statement run as the server's administrator: the only kind of account that can still edit audit rows. */
    static void sql(String statement, Object... params) {
        try (Connection admin = TestInfra.asAdmin("mandate_audit")) {
            run(admin, statement, params);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A statement run as audit-service's own role ({@link #SERVICE_ROLE}). */
    static void asService(String statement, Object... params) {
        try (Connection service = TestInfra.as(SERVICE_ROLE, "mandate_audit")) {
            run(service, statement, params);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ?1}, {@code ?2} ... in {@code statement} are {@code params} in order. */
    private static void run(Connection connection, String statement, Object... params) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(statement.replaceAll("\\?\\d", "?"))) {
            for (int i = 0; i < params.length; i++) {
                query.setObject(i + 1, params[i]);
            }
            query.execute();
        }
    }
}
