package io.mandate.token.listener;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mandate.api.TypeIds;
import io.mandate.credentials.Passwords;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestInfra;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Only identity-service writes what token-service learns about agents and humans: the broker refuses
 * a client without credentials, with a wrong password, or signed in as another service, and
 * token-service itself refuses a record on an identity topic whose {@code source} is another service.
 */
@QuarkusTest
class EventWritersIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final List<String> PERMISSIONS = List.of("crm:deals:write");

    private static Throwable refusedWrite(Properties client, String topic, String json) {
        try (TopicWriter writer = new TopicWriter(client)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> writer.send(topic, "key", json));
            Throwable cause = refused.getCause();
            return cause instanceof java.util.concurrent.ExecutionException ? cause.getCause() : cause;
        }
    }

    private static String forgedAdminVerifier(String userId) {
        return IdentityFixtures.humanVerifier(userId, "mallory" + userId, Passwords.hash(PASSWORD),
                List.of("tenant_admin"), List.of(), "active", 9);
    }

    @Test
    void aClientWithoutCredentialsCannotWriteAHumanVerifier() {
        Properties anonymous = TestInfra.kafkaClient(null, null);
        anonymous.put("max.block.ms", "3000");
        Throwable refused = refusedWrite(anonymous, Topics.IDENTITY_CREDENTIALS, forgedAdminVerifier(TypeIds.newId("usr")));
        // The listener speaks SASL only: a client that does not sign in never gets the topic's metadata.
        assertInstanceOf(TimeoutException.class, refused, String.valueOf(refused));
    }

    @Test
    void aWrongPasswordIsRefused() {
        Throwable refused = refusedWrite(TestInfra.kafkaClient("identity-service", "not-the-password"),
                Topics.IDENTITY_CREDENTIALS, forgedAdminVerifier(TypeIds.newId("usr")));
        assertInstanceOf(SaslAuthenticationException.class, refused, String.valueOf(refused));
    }

    @Test
    void anotherServicesCredentialsCannotWriteTheIdentityTopics() {
        Properties delegationService = TestInfra.kafkaClient("delegation-service", TestInfra.ROLE_PASSWORD);
        Throwable verifier = refusedWrite(delegationService, Topics.IDENTITY_CREDENTIALS,
                forgedAdminVerifier(TypeIds.newId("usr")));
        assertInstanceOf(TopicAuthorizationException.class, verifier, String.valueOf(verifier));
        String agentId = TypeIds.newId("agt");
        Throwable updated = refusedWrite(delegationService, Topics.IDENTITY, IdentityFixtures.agentEvent("agent.updated",
                agentId, "ten_test", "enterprise", "active", List.of("admin:*:*"), 9));
        assertInstanceOf(TopicAuthorizationException.class, updated, String.valueOf(updated));
    }

    @Test
    void onlyTokenServiceReadsTheCredentialsTopic() {
        Properties webhookService = TestInfra.kafkaClient("webhook-service", TestInfra.ROLE_PASSWORD);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(webhookService, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(Topics.IDENTITY_CREDENTIALS, 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(5)));
        }
    }

    @Test
    void anAgentUpdateFromAnotherSourceIsNotAppliedButDeadLettered() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String forged = IdentityFixtures.agentEvent("agent.updated", agent.id(), "ten_test", "enterprise", "active",
                List.of("admin:*:*"), 9).replace("/mandate/identity-service", "/mandate/delegation-service");
        try (TopicReader deadLetters = TopicReader.of("mandate.dlq.token-service");
                TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY, agent.id(), forged);
            // Had version 9 been applied, this older version 2 would be ignored.
            IdentityFixtures.changeStatus(agent.id(), "agent.permissions_changed", "active", List.of("crm:contacts:read"), 2);
            String forgedId = TopicReader.parse(forged).path("id").asText();
            deadLetters.awaitEvent(event -> forgedId.equals(event.path("id").asText()), Duration.ofSeconds(15));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> "crm:contacts:read".equals(token(agent, "").extract().path("scope")));
        token(agent, "&scope=admin:users:delete").statusCode(400).extract();
    }

    @Test
    void aHumanVerifierFromAnotherSourceIsNotApplied() {
        String userId = TypeIds.newId("usr");
        String forged = forgedAdminVerifier(userId).replace("/mandate/identity-service", "/mandate/webhook-service");
        String username = "mallory" + userId;
        try (TopicWriter writer = new TopicWriter()) {
            writer.send(Topics.IDENTITY_CREDENTIALS, userId, forged);
        }
        // The real account, older (version 1) and with another password, on the same partition after it.
        String real = IdentityFixtures.publishHuman(userId, username, Passwords.hash("the owner's own password"),
                List.of("auditor"), "active", 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> IdentityFixtures.processed(real));
        login(username, "the owner's own password").statusCode(200);
        login(username, PASSWORD).statusCode(401);
    }

    private static io.restassured.response.ValidatableResponse token(TestAgent agent, String extraForm) {
        return given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials" + extraForm)
                .post("/oauth2/token").then();
    }

    private static io.restassured.response.ValidatableResponse login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/v1/auth/login").then();
    }
}
