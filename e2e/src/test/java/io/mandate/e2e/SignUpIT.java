package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TopicReader;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A person joins by an invitation link in Chromium: the tenant admin's link opens token-service's sign-up
 * page, the account is made by identity-service with the invitation's roles, the person signs in at once;
 * the link works once.
 */
class SignUpIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Platform.start();
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Fills the sign-up form at {@code url} and submits it: the text of the page that answers. */
    private static String fill(String url, String username, String email) {
        browser.get(url);
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        WebElement form = browser.findElement(By.tagName("form"));
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        // The answer is another page: wait until the form submitted is gone before reading it.
        await().atMost(EVENT_TIMEOUT).until(() -> {
            try {
                form.isDisplayed();
                return false;
            } catch (StaleElementReferenceException gone) {
                return true;
            }
        });
        return browser.findElement(By.tagName("main")).getText();
    }

    @Test
    void aPersonSignsUpWithAnInvitationLinkAndSignsInOnce() throws Exception {
        String tenant = given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "signup " + Long.toString(System.nanoTime(), 36))).post("/v1/tenants")
                .then().statusCode(201).extract().path("id");
        String username = "invited-" + Long.toString(System.nanoTime(), 36);
        String email = username + "@example.com";
        var made = given().baseUri(identity.url()).header("Authorization", ADMIN).header("Mandate-Tenant", tenant)
                .contentType(ContentType.JSON).body(Map.of("email", email, "roles", List.of("owner")))
                .post("/v1/invitations").then().statusCode(201).extract();
        String url = made.path("url");
        assertTrue(url.startsWith(token.url() + "/signup?invitation="), url);

        try (TopicReader identityEvents = TopicReader.of(Topics.IDENTITY)) {
            browser.get(url);
            Chromium.screenshots(browser, "signup");
            String done = fill(url, username, email);
            assertTrue(done.contains("Your account is ready") && done.contains(username), done);
            JsonNode registered = identityEvents.awaitEvent(e -> "human.registered".equals(e.path("type").asText())
                    && username.equals(e.path("data").path("human").path("username").asText()), Duration.ofSeconds(30));
            assertTrue(registered.path("data").path("human").path("roles").toString().contains("owner"), registered.toString());
            assertTrue("svc_token-service".equals(registered.path("authid").asText()), registered.toString());
        }

        browser.findElement(By.linkText("Sign in")).click();
        await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().contains("/signin"));
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().endsWith("/account"));
        String account = browser.findElement(By.tagName("main")).getText();
        assertTrue(account.contains(username), account);

        // The link is used up; a made-up one makes nothing either.
        browser.manage().deleteAllCookies();
        String again = fill(url, username + "-2", email);
        assertTrue(again.contains("used, revoked or has expired"), again);
        String madeUp = fill(token.url() + "/signup?invitation=mnd_inv_made-up", username + "-3", "x@example.com");
        assertTrue(madeUp.contains("not valid"), madeUp);
    }
}
