package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.SignedJWT;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TopicReader;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No token leaves before Kafka acknowledged its agent.verified: here Kafka is never in time. A tenant
 * configured not to wait gets its tokens anyway, and the events still reach the topic.
 */
@QuarkusTest
@TestProfile(UnacknowledgedEventIT.KafkaNeverInTime.class)
class UnacknowledgedEventIT {

    public static class KafkaNeverInTime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mandate.eventing.publish-timeout", "0s",
                    "mandate.token.tenants.ten_async.verified-event-acknowledged", "false");
        }
    }

    @Test
    void aTokenWhoseEventKafkaDidNotAcknowledgeIsNeverReturned() {
        TestAgent agent = IdentityFixtures.registerAgent(List.of("crm:contacts:read"));
        // The first request reads the agent from the database; the second finds it in memory and is
        // answered on the event loop. Both wait for the acknowledgement and get none.
        for (int attempt = 0; attempt < 2; attempt++) {
            given().auth().preemptive().basic(agent.id(), agent.apiKey())
                    .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                    .post("/oauth2/token").then().statusCode(503)
                    .body("error", equalTo("temporarily_unavailable")).body("access_token", nullValue());
        }
        given().contentType("application/json").body(Map.of("agent_id", agent.id(), "api_key", agent.apiKey()))
                .post("/v1/auth/verify").then().statusCode(503).contentType("application/problem+json")
                .body("code", equalTo("temporarily_unavailable")).body("token", nullValue());
        // The seed flow's refresh token is stored only with the acknowledgement: nothing is left behind.
        assertEquals(0, IdentityFixtures.count("select count(*) from refresh_token where agent_id = ?", agent.id()));
    }

    @Test
    void aTenantThatDoesNotWaitGetsItsTokenAndTheEventStillGoesOut() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(List.of("crm:contacts:read"), "ten_async", "pro");
        List<String> jtis = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) { // from the database, then from memory
            String token = given().auth().preemptive().basic(agent.id(), agent.apiKey())
                    .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                    .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
            jtis.add(SignedJWT.parse(token).getJWTClaimsSet().getJWTID());
        }
        try (TopicReader reader = TopicReader.of(Topics.TOKEN)) {
            for (String jti : jtis) {
                reader.awaitEvent(e -> "agent.verified".equals(e.path("type").asText())
                        && jti.equals(e.path("data").path("jti").asText()), Duration.ofSeconds(15));
            }
        }
    }
}
