package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * "Sign in with Acme SSO" on Mandate's sign-in page, with Keycloak as the enterprise IdP: Chromium goes to
 * Keycloak's login page and back (OpenID Connect code flow with PKCE), the person consents, and the client
 * gets a token for the Mandate account that identity has. A return replayed, and an identity with no
 * account, are refused on the page.
 */
class EnterpriseSignInIT {

    private static final String PASSWORD = "correct horse battery staple";

    @BeforeAll
    static void start() throws Exception {
        Keycloak.start();
        Platform.start();
        Keycloak.realm();
    }

    private static void signInAtKeycloak(ChromeDriver browser, String username) {
        await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().startsWith(Keycloak.ISSUER));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("kc-login")).click();
    }

    @Test
    void aPersonSignsInThroughTheEnterpriseIdpAndConsents() throws Exception {
        String name = "dana" + Long.toString(System.nanoTime(), 36);
        String email = name + "@acme.example";
        Keycloak.person(name, email, PASSWORD);
        // The Mandate account of the same, verified, email (usernames need not match).
        String userId = given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("username", "mandate-" + name, "email", email, "roles", List.of("owner"),
                        "permissions", List.of("crm:contacts:read")))
                .post("/v1/users").then().statusCode(201).extract().path("id");
        BrowserConsentIT.Client client = BrowserConsentIT.client("Expense helper");
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/callback", exchange -> {
            byte[] done = "<!DOCTYPE html><title>Done</title>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, done.length); // a 204 would leave the browser where it was
            exchange.getResponseBody().write(done);
            exchange.close();
        });
        receiver.start();
        String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/callback";

        ChromeDriver browser = Chromium.start();
        try {
            String authorize = token.url() + "/oauth2/authorize?response_type=code&client_id=" + client.id()
                    + "&redirect_uri=" + callback + "&scope=crm:contacts:read&state=s1&code_challenge="
                    + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
            // The person is known to token-service once identity-service's event arrived.
            await().atMost(EVENT_TIMEOUT).until(() -> given().baseUri(token.url()).get("/signin").statusCode() == 200);
            browser.get(authorize);
            await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().contains("/signin"));
            browser.findElement(By.linkText("Sign in with Acme SSO")).click();
            signInAtKeycloak(browser, name);
            String returned = await().atMost(EVENT_TIMEOUT).until(browser::getCurrentUrl, url -> url.contains("/consent")
                    || url.contains("/signin/idp/callback"));
            assertTrue(returned.contains("/consent"), () -> returned + "\n" + browser.findElement(By.tagName("main")).getText());
            String page = browser.findElement(By.tagName("main")).getText();
            assertTrue(page.contains("Signed in as mandate-" + name), page);
            browser.findElement(By.cssSelector("button[value=allow]")).click();
            await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().startsWith(callback));
            String code = URI.create(browser.getCurrentUrl()).getQuery().replaceAll(".*code=([^&]+).*", "$1");
            String accessToken = given().baseUri(token.url()).auth().preemptive().basic(client.id(), client.secret())
                    .contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                    .formParam("code", code).formParam("redirect_uri", callback)
                    .formParam("code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                    .post("/oauth2/token").then().statusCode(200).extract().path("access_token");
            assertEquals(userId, SignedJWT.parse(accessToken).getJWTClaimsSet().getSubject());
        } finally {
            browser.quit();
            receiver.stop(0);
        }
    }

    @Test
    void anIdentityWithoutAnAccountAndAReplayedReturnAreRefused() throws Exception {
        String name = "erin" + Long.toString(System.nanoTime(), 36);
        Keycloak.person(name, name + "@elsewhere.example", PASSWORD);
        ChromeDriver browser = Chromium.start();
        try {
            browser.get(token.url() + "/signin");
            browser.findElement(By.linkText("Sign in with Acme SSO")).click();
            signInAtKeycloak(browser, name);
            await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().contains("/signin/idp/callback"));
            String page = browser.findElement(By.tagName("main")).getText();
            assertTrue(page.contains("There is no active Mandate account for this identity"), page);
            Chromium.screenshots(browser, "signin-refused");
            String callback = browser.getCurrentUrl();
            browser.get(callback);
            String replayed = browser.findElement(By.tagName("main")).getText();
            assertTrue(replayed.contains("expired or was used already"), replayed);
        } finally {
            browser.quit();
        }
    }
}
