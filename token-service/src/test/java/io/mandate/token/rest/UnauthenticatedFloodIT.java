package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.api.TypeIds;
import io.mandate.credentials.ApiKey;
import io.mandate.credentials.Passwords;
import io.mandate.token.IdentityFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Requests nobody authenticated cannot starve the workers everyone shares: a flood of API keys with
 * made-up key ids (each once waited up to 3 s for its projection, holding a worker thread) is answered
 * at once but for a handful, while a login still goes through.
 */
@QuarkusTest
class UnauthenticatedFloodIT {

    private static final int FLOOD = 300;

    private static long bogusTokenRequestMillis() {
        long start = System.nanoTime();
        given().auth().preemptive().basic(TypeIds.newId("agt"), ApiKey.generate().value())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token").then().statusCode(401);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void madeUpKeyIdsAreAnsweredAtOnceAndALoginStillGoesThrough() throws Exception {
        String username = "flood" + Long.toString(System.nanoTime(), 36);
        String userId = TypeIds.newId("usr");
        String eventId = IdentityFixtures.publishHuman(userId, username, Passwords.hash("correct horse battery staple"),
                List.of("owner"), "active", 0);
        await().atMost(Duration.ofSeconds(15)).until(() -> IdentityFixtures.processed(eventId));

        ExecutorService flood = Executors.newFixedThreadPool(FLOOD);
        try {
            List<Future<Long>> answers = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                answers.add(flood.submit(UnauthenticatedFloodIT::bogusTokenRequestMillis));
            }
            long start = System.nanoTime();
            given().contentType(ContentType.JSON)
                    .body(Map.of("username", username, "password", "correct horse battery staple"))
                    .post("/v1/auth/login").then().statusCode(200);
            long loginMillis = (System.nanoTime() - start) / 1_000_000;

            List<Long> millis = new ArrayList<>();
            for (Future<Long> answer : answers) {
                millis.add(answer.get());
            }
            long waited = millis.stream().filter(m -> m >= 2_000).count();
            assertTrue(waited <= 8, waited + " of " + FLOOD + " made-up keys held a worker for their projection");
            assertTrue(loginMillis < 2_500, "the login took " + loginMillis + " ms during the flood");
            assertEquals(FLOOD, millis.size());
        } finally {
            flood.shutdownNow();
        }
    }
}
