package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.audit;
import static io.mandate.e2e.Platform.delegation;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.sun.net.httpserver.HttpServer;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A person in Chromium signs in and consents; an OAuth client nobody here wrote (the Nimbus OAuth SDK) builds
 * the request with PKCE, reads the answer (with RFC 9207 {@code iss}), exchanges the code and verifies the token
 * by the JWKS; remembered consent skips the pages; revoking the grant in delegation-service ends the token
 * within a second. All five services, real Kafka, real PostgreSQL.
 */
class BrowserConsentIT {

    private static final String PASSWORD = "correct horse battery staple";

    private static ChromeDriver browser;
    private static HttpServer callback;
    private static final AtomicReference<URI> LANDED = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        Platform.start();
        browser = Chromium.start();
        // The client's redirect URI: a loopback listener, as a native app or CLI has (RFC 8252).
        callback = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callback.createContext("/callback", exchange -> {
            LANDED.set(URI.create("http://127.0.0.1:" + callback.getAddress().getPort()
                    + exchange.getRequestURI().toString()));
            byte[] page = "<!DOCTYPE html><title>Done</title><p>You can close this page.".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        callback.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (callback != null) {
            callback.stop(0);
        }
    }

    record Person(String userId, String username) {
    }

    record Client(String id, String secret) {
    }

    static Person owner(List<String> permissions) {
        String username = "e2e-person-" + Long.toString(System.nanoTime(), 36);
        String userId = given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("username", username, "email", username + "@example.com", "password", PASSWORD,
                        "roles", List.of("owner"), "permissions", permissions))
                .post("/v1/users").then().statusCode(201).extract().path("id");
        return new Person(userId, username);
    }

    /** An agent registered as an OAuth client with a loopback redirect URI; returns once token-service knows it. */
    static Client client(String name) {
        var registered = given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", name, "owner_email", "team@example.com", "permissions",
                        List.of("crm:contacts:read", "crm:deals:write"), "client", Map.of("type", "agent",
                                "redirect_uris", List.of("http://127.0.0.1/callback"))))
                .post("/v1/agents").then().statusCode(201).extract();
        Client client = new Client(registered.path("agent.id"), registered.path("credentials.api_key"));
        // Until then the authorization endpoint shows an unknown client on a page; then it answers the client.
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> given().baseUri(token.url())
                .redirects().follow(false).queryParam("client_id", client.id())
                .queryParam("redirect_uri", "http://127.0.0.1/callback").get("/oauth2/authorize").statusCode() == 303);
        return client;
    }

    private String callbackUri() {
        return "http://127.0.0.1:" + callback.getAddress().getPort() + "/callback";
    }

    private AuthorizationRequest request(Client client, CodeVerifier verifier, State state) {
        return new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new ClientID(client.id()))
                .endpointURI(URI.create(token.url() + "/oauth2/authorize")).redirectionURI(URI.create(callbackUri()))
                .scope(new Scope("crm:contacts:read", "offline_access")).state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build();
    }

    private AuthorizationSuccessResponse landed(State state) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> LANDED.get() != null);
        AuthorizationResponse response = AuthorizationResponse.parse(LANDED.getAndSet(null));
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        AuthorizationSuccessResponse success = response.toSuccessResponse();
        assertEquals(state, success.getState());
        assertEquals(new Issuer(token.url()), success.getIssuer(), "RFC 9207: the answer names its issuer");
        return success;
    }

    private Tokens exchange(Client client, AuthorizationCode code, CodeVerifier verifier) throws Exception {
        TokenRequest request = new TokenRequest(URI.create(token.url() + "/oauth2/token"),
                new ClientSecretBasic(new ClientID(client.id()), new Secret(client.secret())),
                new AuthorizationCodeGrant(code, URI.create(callbackUri()), verifier));
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        return response.toSuccessResponse().getTokens();
    }

    /** What an API does with the token: signature by the JWKS, type at+jwt, issuer, audience, lifetime. */
    private static JWTClaimsSet verifiedByJwks(String accessToken) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                JWKSourceBuilder.create(new URL(token.url() + "/.well-known/jwks.json")).build()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("mandate",
                new JWTClaimsSet.Builder().issuer(token.url()).build(), Set.of("sub", "exp", "iat", "jti", "client_id")));
        return processor.process(accessToken, null);
    }

    private static boolean active(Client caller, String accessToken) {
        return given().baseUri(token.url()).auth().preemptive().basic(caller.id(), caller.secret())
                .contentType("application/x-www-form-urlencoded").formParam("token", accessToken)
                .post("/oauth2/introspect").then().statusCode(200).extract().<Boolean>path("active");
    }

    @Test
    void aPersonConsentsInTheBrowserAndRevokingTheGrantEndsTheTokenWithinASecond() throws Exception {
        Person person = owner(List.of("crm:contacts:read", "crm:deals:write"));
        Client client = client("Travel assistant");
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();

        browser.get(request(client, verifier, state).toURI().toString());
        await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().contains("/signin"));
        assertEquals("Sign in · Mandate", browser.getTitle());
        Chromium.screenshots(browser, "signin");
        browser.findElement(By.id("username")).sendKeys(person.username());
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().contains("/consent"));
        String consentPage = browser.findElement(By.tagName("main")).getText();
        assertTrue(consentPage.contains("Travel assistant wants to act for you"), consentPage);
        assertTrue(consentPage.contains("Read contacts in crm"), consentPage);
        assertTrue(consentPage.contains("team@example.com"), consentPage);
        Chromium.screenshots(browser, "consent");
        browser.findElement(By.name("remember")).click();
        browser.findElement(By.cssSelector("button[value=allow]")).click();

        AuthorizationSuccessResponse answer = landed(state);
        Tokens tokens = exchange(client, answer.getAuthorizationCode(), verifier);
        JWTClaimsSet claims = verifiedByJwks(tokens.getAccessToken().getValue());
        assertEquals(person.userId(), claims.getSubject());
        assertEquals(Map.of("sub", client.id()), claims.getJSONObjectClaim("act"));
        assertEquals("crm:contacts:read", claims.getStringClaim("scope"));
        assertTrue(tokens.getRefreshToken() != null, "offline_access was consented");
        // A token that acts for the person is for the APIs its scopes name, not for Mandate's own.
        given().baseUri(identity.url()).header("Authorization", "Bearer " + tokens.getAccessToken().getValue())
                .get("/v1/agents").then().statusCode(401);

        // The audit trail has the sign-in, the consent and the token, each with the grant.
        String grant = claims.getStringClaim("delegation_id");
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> given().baseUri(audit.url())
                .header("Authorization", ADMIN).queryParam("delegation_id", grant).get("/v1/audit/events").then()
                .statusCode(200).extract().<List<String>>path("items.type"),
                types -> types.containsAll(List.of("consent.granted", "token.exchanged", "delegation.granted")));
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> given().baseUri(audit.url())
                .header("Authorization", ADMIN).queryParam("actor_id", person.userId()).queryParam("type", "human.logged_in")
                .get("/v1/audit/events").then().statusCode(200).extract().<List<Object>>path("items").size() == 1);

        // Remembered consent: the next request of the client goes straight back to it.
        CodeVerifier again = new CodeVerifier();
        State second = new State();
        browser.get(request(client, again, second).toURI().toString());
        AuthorizationSuccessResponse remembered = landed(second);
        exchange(client, remembered.getAuthorizationCode(), again);

        // The person revokes the grant in delegation-service: the token ends within a second.
        String delegationId = claims.getStringClaim("delegation_id");
        String login = given().baseUri(token.url()).contentType(ContentType.JSON)
                .body(Map.of("username", person.username(), "password", PASSWORD)).post("/v1/auth/login")
                .then().statusCode(200).extract().path("token");
        assertTrue(active(client, tokens.getAccessToken().getValue()));
        given().baseUri(delegation.url()).header("Authorization", "Bearer " + login)
                .post("/v1/delegations/" + delegationId + "/revoke").then().statusCode(200);
        long revokedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> !active(client, tokens.getAccessToken().getValue()));
        long afterMs = (System.nanoTime() - revokedAt) / 1_000_000;
        System.out.printf("consented token inactive %d ms after its grant was revoked%n", afterMs);
        assertFalse(active(client, tokens.getAccessToken().getValue()));

        // And the consent is asked for again.
        browser.get(request(client, new CodeVerifier(), new State()).toURI().toString());
        await().atMost(EVENT_TIMEOUT).until(() -> browser.getCurrentUrl().contains("/consent"));
    }
}
