package io.mandate.identity.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.mandate.testsupport.TestIssuers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * identity-service hears of what ends tokens like every service does (libs/auth's consumer, wired by
 * its configuration): an agent suspended here cannot use its token here a moment later, though the
 * token has not expired. How fast, in the steady state, is audit-service's {@code AccessTokenIT}.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class AccessRevocationIT {

    @Test
    void aSuspendedAgentsTokenStopsWorkingHere() {
        String agentId = given().header("Authorization", Principals.PLATFORM_ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "revocation-bot", "owner_email", "o@example.com",
                        "permissions", List.of("crm:contacts:read")))
                .post("/v1/agents").then().statusCode(201).extract().path("agent.id");
        String token = Principals.agentToken("ten_default", agentId);
        given().header("Authorization", token).get("/v1/agents/" + agentId).then().statusCode(200);

        given().header("Authorization", Principals.PLATFORM_ADMIN).post("/v1/agents/" + agentId + "/suspend").then()
                .statusCode(200);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                given().header("Authorization", token).get("/v1/agents/" + agentId).then().extract().statusCode() == 401);
        given().header("Authorization", token).get("/v1/agents/" + agentId).then()
                .body("detail", equalTo("the access token has been revoked"));
    }
}
