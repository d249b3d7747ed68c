package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.delegation;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.ciba.CIBAGrant;
import com.nimbusds.oauth2.sdk.ciba.CIBARequest;
import com.nimbusds.oauth2.sdk.ciba.CIBARequestAcknowledgement;
import com.nimbusds.oauth2.sdk.ciba.CIBAResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.rar.AuthorizationDetail;
import com.nimbusds.oauth2.sdk.rar.AuthorizationType;
import io.mandate.e2e.Platform.Agent;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.minidev.json.JSONValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The person's approvals inbox in Chromium: an agent's request approved in part and for a shorter time; what
 * they lent revoked with one click; and a CIBA request (Nimbus OAuth SDK) approved while the agent polls.
 */
class ApprovalsIT {

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

    private static String signIn(String username) {
        browser.get(token.url() + "/signin");
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().endsWith("/account"));
        return browser.findElement(By.tagName("main")).getText();
    }

    /** The inbox form of the request whose text contains {@code purpose}, once it shows (events are on their way). */
    private static WebElement request(String purpose) {
        return await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            browser.navigate().refresh();
            return browser.findElements(By.cssSelector("form.request")).stream()
                    .filter(f -> f.getText().contains(purpose)).findFirst().orElseThrow();
        }, f -> true);
    }

    @Test
    void aPersonApprovesPartOfARequestRevokesItAndApprovesACibaRequestWhileTheAgentPolls() throws Exception {
        BrowserConsentIT.Person person = BrowserConsentIT.owner(List.of("crm:contacts:read", "crm:deals:write"));
        Agent agent = Platform.register("e2e-inbox-agent");
        String agentToken = Platform.requestToken(agent).then().statusCode(200).extract().path("access_token");
        Response asked = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> given()
                .baseUri(delegation.url()).header("Authorization", "Bearer " + agentToken).contentType(ContentType.JSON)
                .body(Map.of("user_id", person.userId(), "scopes", List.of("crm:contacts:read", "crm:deals:write"),
                        "purpose", "Prepare the quarterly deal review", "expires_in", 86400))
                .post("/v1/delegations/requests"), r -> r.statusCode() == 201);
        String requestId = asked.path("id");

        String account = signIn(person.username());
        assertTrue(account.contains("Waiting for your answer"), account);
        WebElement form = request("Prepare the quarterly deal review");
        Chromium.screenshots(browser, "approvals");
        form.findElement(By.cssSelector("input[value='crm:deals:write']")).click();
        form.findElement(By.xpath(".//option[text()='1 hour']")).click();
        form.findElement(By.cssSelector("button[value=approve]")).click();
        await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().contains("done=approved"));

        String login = given().baseUri(token.url()).contentType(ContentType.JSON)
                .body(Map.of("username", person.username(), "password", PASSWORD)).post("/v1/auth/login")
                .then().statusCode(200).extract().path("token");
        var grant = given().baseUri(delegation.url()).header("Authorization", "Bearer " + login)
                .get("/v1/delegations/requests/" + requestId).then().statusCode(200).extract();
        String delegationId = grant.path("delegation_id");
        var lent = given().baseUri(delegation.url()).header("Authorization", "Bearer " + login)
                .get("/v1/delegations/" + delegationId).then().statusCode(200).extract();
        assertEquals(List.of("crm:contacts:read"), lent.path("scopes"), "only what the person left ticked");
        assertTrue(Instant.parse(lent.path("expires_at")).isBefore(Instant.now().plusSeconds(3601)),
                "for the shorter time the person chose");

        // What the person lent is listed; one click revokes it.
        String listed = browser.findElement(By.cssSelector("ul.lent")).getText();
        assertTrue(listed.contains("e2e-inbox-agent"), listed);
        Chromium.screenshots(browser, "account");
        browser.findElements(By.cssSelector("ul.lent li")).stream().filter(li -> li.getText().contains("e2e-inbox-agent"))
                .findFirst().orElseThrow().findElement(By.tagName("button")).click();
        await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().contains("done=revoked"));
        given().baseUri(delegation.url()).header("Authorization", "Bearer " + login).get("/v1/delegations/" + delegationId)
                .then().statusCode(200).body("status", equalTo("revoked"));

        // CIBA: the agent asks through token-service and polls; the person approves in the inbox meanwhile.
        ClientSecretBasic client = new ClientSecretBasic(new ClientID(agent.id()), new Secret(agent.apiKey()));
        List<AuthorizationDetail> details = List.of(new AuthorizationDetail.Builder(new AuthorizationType("crm_export"))
                .field("records", "contacts").field("format", "csv").build());
        CIBARequest ciba = new CIBARequest.Builder(client, new Scope("crm:contacts:read"))
                .endpointURI(URI.create(token.url() + "/oauth2/bc-authorize")).loginHint(person.username())
                .bindingMessage("Export contacts 7Q2X").authorizationDetails(details).build();
        CIBAResponse started = CIBAResponse.parse(ciba.toHTTPRequest().send());
        assertTrue(started.indicatesSuccess(), () -> started.toErrorResponse().getErrorObject().toString());
        CIBARequestAcknowledgement ack = started.toRequestAcknowledgement();
        List<String> answers = new CopyOnWriteArrayList<>();
        CompletableFuture<TokenResponse> polled = CompletableFuture.supplyAsync(() -> poll(client, ack, answers));

        WebElement cibaForm = request("Export contacts 7Q2X");
        assertTrue(cibaForm.getText().contains("crm_export"), cibaForm.getText());
        cibaForm.findElement(By.cssSelector("button[value=approve]")).click();
        TokenResponse response = polled.get(70, TimeUnit.SECONDS);
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        assertTrue(answers.contains("authorization_pending"), answers.toString());
        JWTClaimsSet claims = SignedJWT.parse(response.toSuccessResponse().getTokens().getAccessToken().getValue())
                .getJWTClaimsSet();
        assertEquals(person.userId(), claims.getSubject());
        assertEquals(Map.of("sub", agent.id()), claims.getJSONObjectClaim("act"));
        assertEquals(AuthorizationDetail.toJSONArray(details).toString(),
                JSONValue.toJSONString(claims.getListClaim("authorization_details")));
    }

    /** Polls at the interval the server gave until the answer is no longer pending; notes each refusal. */
    private static TokenResponse poll(ClientSecretBasic client, CIBARequestAcknowledgement ack, List<String> answers) {
        return await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(ack.getMinWaitInterval()))
                .until(() -> pollOnce(client, ack, answers), response -> response.indicatesSuccess()
                        || !List.of("authorization_pending", "slow_down")
                                .contains(((TokenErrorResponse) response).getErrorObject().getCode()));
    }

    private static TokenResponse pollOnce(ClientSecretBasic client, CIBARequestAcknowledgement ack, List<String> answers)
            throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(URI.create(token.url() + "/oauth2/token"), client,
                new CIBAGrant(ack.getAuthRequestID())).toHTTPRequest().send());
        if (!response.indicatesSuccess()) {
            answers.add(((TokenErrorResponse) response).getErrorObject().getCode());
        }
        return response;
    }
}
