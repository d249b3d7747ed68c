package io.mandate.examples.reports;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The library's Quarkus integration without a Mandate to talk to: the filter and the metadata resource are picked up
 * from the jar by themselves. Tokens from a real Mandate: e2e {@code ResourceServerIT}.
 */
@QuarkusTest
class ReportsApiTest {

    @Test
    void aRequestWithoutTokenIsChallengedWithTheMetadataUrl() {
        given().get("/reports").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer resource_metadata=\"http://localhost:8081/.well-known/oauth-protected-resource\""))
                .header("WWW-Authenticate", containsString("DPoP algs="))
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void aMalformedTokenIsRefusedWithAReason() {
        given().header("Authorization", "Bearer not-a-jwt").get("/whoami").then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error_description", equalTo("the access token is not a signed JWT"));
    }

    @Test
    void theMetadataIsOpenToAnyone() {
        given().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .body("resource", equalTo("http://localhost:8081"))
                .body("authorization_servers", hasItems("http://127.0.0.1:1"))
                .body("scopes_supported", hasItems("reports:read", "reports:write"))
                .body("resource_name", equalTo("Reports API"));
    }
}
