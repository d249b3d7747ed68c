package io.mandate.token.rest;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mandate.token.browser.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sign-up page's own rules (identity-service makes the accounts; SignupIT there, SignUpIT in e2e): a form
 * from this page only, identity-service's refusal shown on the page, and a limit per address on attempts,
 * refused ones included.
 */
@QuarkusTest
class SignUpPagesIT {

    private static Map<String, String> form(int attempt) {
        return Map.of("invitation", "mnd_inv_made-up", "tenant", "", "username", "someone" + attempt,
                "email", "someone@example.com", "password", "correct horse battery staple");
    }

    @Test
    void aFormFromElsewhereIsRefusedAndAttemptsFromOneAddressAreLimited() {
        Browser browser = new Browser();
        browser.get("/signup?invitation=mnd_inv_made-up").then().statusCode(200)
                .body(containsString("You were invited")).header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
        browser.post("/signup", Map.of("csrf", "forged", "invitation", "x", "username", "a", "email", "a@example.com",
                "password", "p")).then().statusCode(403).body(containsString("This form has expired"));
        Response last = null;
        for (int attempt = 0; attempt < 31; attempt++) {
            browser.get("/signup?invitation=mnd_inv_made-up");
            last = browser.post("/signup", form(attempt));
            if (last.statusCode() == 429) {
                break;
            }
            assertEquals(true, last.statusCode() / 100 == 4 || last.statusCode() == 503, last.asString());
        }
        last.then().statusCode(429).body(containsString("Too many sign-ups from here"));
    }
}
