package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.TypeIds;
import io.mandate.credentials.Passwords;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.browser.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command line's sign-in through the browser: it starts one, the person signs in and approves the code at
 * /device, and the command line's polling gets the person's own token once; denied, expired, forged and too-fast
 * polls are refused with RFC 8628's errors.
 */
@QuarkusTest
class DeviceSignInIT {

    private static final String PASSWORD = "correct horse battery staple";

    private static String person(String username) {
        String userId = TypeIds.newId("usr");
        String eventId = IdentityFixtures.publishHuman(userId, username, Passwords.hash(PASSWORD), List.of("tenant_admin"),
                "active", 0);
        await().atMost(Duration.ofSeconds(15)).until(() -> IdentityFixtures.processed(eventId));
        return userId;
    }

    private static Response start() {
        return given().post("/v1/auth/device");
    }

    private static Response poll(String deviceCode) {
        return given().contentType(ContentType.JSON).body(Map.of("device_code", deviceCode)).post("/v1/auth/device/token");
    }

    /** A browser that signs in from the /device link and lands back on the code. */
    private static Browser signedInAt(String userCode, String username) {
        Browser browser = new Browser();
        Response toSignIn = browser.get("/device?code=" + userCode.toLowerCase().replace("-", ""));
        assertEquals(303, toSignIn.statusCode());
        assertEquals("/signin?device=" + userCode, Browser.location(toSignIn));
        browser.get(Browser.location(toSignIn)).then().statusCode(200).body(containsString(userCode));
        Response back = browser.post("/signin", Map.of("username", username, "password", PASSWORD, "device", userCode));
        assertEquals("/device?code=" + userCode, Browser.location(back));
        browser.get(Browser.location(back)).then().statusCode(200).body(containsString(userCode))
                .body(containsString(username));
        return browser;
    }

    @Test
    void aPersonApprovesTheCodeAndTheCommandLineGetsTheirTokenOnce() throws Exception {
        String username = "dev" + Long.toString(System.nanoTime(), 36);
        String userId = person(username);
        Response started = start();
        started.then().statusCode(200).header("Cache-Control", "no-store")
                .body("verification_uri", equalTo("http://token.test/device"))
                .body("interval", equalTo(1)).body("expires_in", equalTo(600));
        String deviceCode = started.path("device_code");
        String userCode = started.path("user_code");
        assertTrue(userCode.matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"), userCode);
        assertEquals("http://token.test/device?code=" + userCode, started.path("verification_uri_complete"));

        poll(deviceCode).then().statusCode(400).body("error", equalTo("authorization_pending"));
        poll(deviceCode).then().statusCode(400).body("error", equalTo("slow_down"));

        Browser browser = signedInAt(userCode, username);
        browser.post("/device", Map.of("code", userCode, "decision", "approve", "csrf", "forged")).then().statusCode(403);
        browser.post("/device", Map.of("code", userCode, "decision", "approve")).then().statusCode(200)
                .body(containsString("The command line is signed in as you"));
        browser.post("/device", Map.of("code", userCode, "decision", "deny")).then().statusCode(404);

        // The slow_down made the interval 6 s: a client that keeps to it gets the token.
        Duration interval = Duration.ofMillis(6_500);
        Response token = await().pollDelay(interval).pollInterval(interval).atMost(Duration.ofSeconds(30))
                .until(() -> poll(deviceCode), r -> r.statusCode() != 400 || !"slow_down".equals(r.path("error")));
        token.then().statusCode(200).header("Cache-Control", "no-store").body("token_type", equalTo("Bearer"))
                .body("user.id", equalTo(userId)).body("user.roles", equalTo(List.of("tenant_admin")));
        SignedJWT jwt = SignedJWT.parse(token.path("token"));
        assertEquals(userId, jwt.getJWTClaimsSet().getSubject());
        assertEquals(List.of("tenant_admin"), jwt.getJWTClaimsSet().getStringListClaim("roles"));

        await().pollDelay(interval).pollInterval(interval).atMost(Duration.ofSeconds(30))
                .until(() -> poll(deviceCode), r -> !"slow_down".equals(r.path("error")))
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void aDeniedOrExpiredOrMadeUpCodeGivesNoToken() {
        String username = "den" + Long.toString(System.nanoTime(), 36);
        person(username);
        Response denied = start();
        Browser browser = signedInAt(denied.path("user_code"), username);
        browser.post("/device", Map.of("code", denied.path("user_code"), "decision", "deny")).then().statusCode(200)
                .body(containsString("was not signed in"));
        poll(denied.path("device_code")).then().statusCode(400).body("error", equalTo("access_denied"));

        Response expired = start();
        IdentityFixtures.sql("update device_sign_in set expires_at = now() - interval '1 second' where user_code = ?",
                expired.<String>path("user_code"));
        browser.get("/device?code=" + expired.path("user_code")).then().statusCode(404)
                .body(containsString("not valid, or it expired"));
        poll(expired.path("device_code")).then().statusCode(400).body("error", equalTo("expired_token"));

        poll("made-up").then().statusCode(400).body("error", equalTo("invalid_grant"));
        browser.get("/device?code=BCDF-GHJK").then().statusCode(404);
        new Browser().get("/device").then().statusCode(303).header("Location", containsString("/signin"));
    }
}
