package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-agent rate limits by tier, and RFC 8707 resource / audience. */
@QuarkusTest
class LimitsAndAudienceIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read");

    private static ExtractableResponse<Response> token(TestAgent agent, String extraForm) {
        return given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials" + extraForm)
                .post("/oauth2/token").then().extract();
    }

    @Test
    void aFreeAgentGetsSixtyTokensAMinuteThen429() {
        TestAgent free = IdentityFixtures.registerAgent(PERMISSIONS, "ten_test", "free");
        TestAgent neighbour = IdentityFixtures.registerAgent(PERMISSIONS, "ten_test", "free");
        assertEquals(200, token(neighbour, "").statusCode(), "the projection has the agents");
        // Windows are whole clock minutes: start with at least 15 s of this one left, so 61 requests fit in it.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().getEpochSecond() % 60 < 45);
        for (int i = 1; i <= 60; i++) {
            ExtractableResponse<Response> accepted = token(free, "");
            assertEquals(200, accepted.statusCode(), "request " + i);
            assertEquals("60", accepted.header("RateLimit-Limit"));
            assertEquals(Integer.toString(60 - i), accepted.header("RateLimit-Remaining"));
        }
        ExtractableResponse<Response> refused = token(free, "");
        assertEquals(429, refused.statusCode());
        assertEquals("rate_limited", refused.path("error"));
        assertEquals("0", refused.header("RateLimit-Remaining"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(refused.header("Retry-After"), refused.header("RateLimit-Reset"));
        // Another agent is not affected.
        assertEquals(200, token(neighbour, "").statusCode());
    }

    @Test
    void resourceAndAudienceSetAudWithinWhatTheTenantAllows() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String jwt = token(agent, "&resource=https%3A%2F%2Fcrm.example.com").path("access_token");
        assertEquals(List.of("https://crm.example.com"), SignedJWT.parse(jwt).getJWTClaimsSet().getAudience());
        jwt = token(agent, "&resource=https%3A%2F%2Fcrm.example.com&audience=mandate").path("access_token");
        assertEquals(List.of("https://crm.example.com", "mandate"), SignedJWT.parse(jwt).getJWTClaimsSet().getAudience());

        for (String refused : List.of("&resource=https%3A%2F%2Fbank.example.com", "&audience=other",
                "&resource=not-absolute", "&resource=https%3A%2F%2Fcrm.example.com%23frag")) {
            ExtractableResponse<Response> response = token(agent, refused);
            assertEquals(400, response.statusCode(), refused);
            assertEquals("invalid_target", response.path("error"), refused);
        }
        // A tenant with its own list (mandate only) refuses what the default list allows.
        TestAgent strict = IdentityFixtures.registerAgent(PERMISSIONS, "ten_ccrefresh", "pro");
        given().auth().preemptive().basic(strict.id(), strict.apiKey()).contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&resource=https%3A%2F%2Fcrm.example.com").post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("invalid_target"));
    }
}
