package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mandate.testsupport.DatabaseOutage;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A revocation consumed while token-service's database is away is not lost: the consumer waits for the
 * database (readiness DOWN meanwhile, saying which event waits) and applies it when it is back, with no
 * restart. Before, it gave up after about 11 s and the revoked agent kept getting tokens.
 */
@QuarkusTest
class ConsumerOutageIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read");
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    private static int tokenStatus(TestAgent agent) {
        return given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token").then().extract().statusCode();
    }

    /** The status of the "event consumers" check in {@code /q/health/ready}, or null when it is not listed. */
    private static String consumersCheck() {
        JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
        return health.getString("checks.find { it.name == 'event consumers' }.status");
    }

    @Test
    void aRevocationConsumedWhileTheDatabaseRefusesConnectionsIsAppliedWhenItIsBack() {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        await().atMost(Duration.ofSeconds(30)).until(() -> tokenStatus(agent) == 200);
        assertEquals("UP", consumersCheck());

        try (DatabaseOutage outage = DatabaseOutage.of("mandate_token")) {
            Instant start = Instant.now();
            IdentityFixtures.changeStatus(agent.id(), "agent.revoked", "revoked", PERMISSIONS, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> "DOWN".equals(consumersCheck()));
            // ... and reports its stall for as long as the outage lasts (checked every second until it ends).
            await().atMost(OUTAGE.plusSeconds(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertEquals("DOWN", consumersCheck(), "the consumer reports its stall for as long as it lasts");
                return Instant.now().isAfter(start.plus(OUTAGE));
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> tokenStatus(agent) == 401);
        await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(consumersCheck()));
    }
}
