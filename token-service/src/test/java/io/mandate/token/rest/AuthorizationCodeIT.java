package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.TypeIds;
import io.mandate.credentials.Passwords;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TestEvents;
import io.mandate.testsupport.TopicReader;
import io.mandate.testsupport.TopicWriter;
import io.mandate.token.DelegationServer;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.mandate.token.browser.Browser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The authorization code flow over HTTP as a browser and a client drive it: authorize, sign in, consent, code,
 * token; and every way it must refuse. delegation-service is a stand-in here ({@link DelegationServer});
 * the e2e tests run the whole flow in Chromium against the real services.
 */
@QuarkusTest
@QuarkusTestResource(DelegationServer.class)
class AuthorizationCodeIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String HASH = Passwords.hash(PASSWORD);
    private static final String CALLBACK = "https://app.example/cb";
    private static final List<String> PERMISSIONS = List.of("crm:contacts:read", "crm:deals:write");
    private static final String AGENT_CLIENT = """
            {"type":"agent","redirect_uris":["https://app.example/cb","http://127.0.0.1/cb"],"logo_uri":null,
             "token_endpoint_auth_method":"client_secret_basic"}""";
    private static final String PUBLIC_APP = """
            {"type":"app","redirect_uris":["http://127.0.0.1/cb"],"logo_uri":null,"token_endpoint_auth_method":"none"}""";

    record Person(String userId, String username) {
    }

    record Pkce(String verifier, String challenge) {

        static Pkce create() {
            String verifier = TypeIds.randomToken(40);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Person person(String tenantId, List<String> roles, List<String> permissions) {
        String userId = TypeIds.newId("usr");
        String username = "p" + userId.substring(4, 16);
        String eventId = IdentityFixtures.publishHuman(tenantId, userId, username, HASH, roles, permissions, "active", 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> IdentityFixtures.processed(eventId));
        return new Person(userId, username);
    }

    private static Person owner() {
        return person("ten_test", List.of("owner"), PERMISSIONS);
    }

    private static String authorize(TestAgent client, String redirectUri, String scope, Pkce pkce, String... extra) {
        StringBuilder url = new StringBuilder("/oauth2/authorize?response_type=code&client_id=").append(client.id())
                .append("&redirect_uri=").append(encode(redirectUri)).append("&state=s-123&scope=").append(encode(scope))
                .append("&code_challenge=").append(pkce.challenge()).append("&code_challenge_method=S256");
        for (String parameter : extra) {
            url.append('&').append(parameter);
        }
        return url.toString();
    }

    /** Signs in on the page {@code response} sent the browser to; returns the sign-in's answer. */
    static Response signIn(Browser browser, Response toSignIn, Person person) {
        String page = Browser.location(toSignIn);
        assertTrue(page.startsWith("/signin?request="), page);
        browser.get(page).then().statusCode(200);
        return browser.post("/signin", Map.of("username", person.username(), "password", PASSWORD,
                "request", page.substring("/signin?request=".length())));
    }

    /** A new authorization request of {@code client} for {@code scope}, signed in as {@code person}: the way to consent. */
    private static Response toConsent(Browser browser, TestAgent client, Person person, String scope) {
        return signIn(browser, browser.get(authorize(client, CALLBACK, scope, Pkce.create())), person);
    }

    static Response consent(Browser browser, Response toConsent, Map<String, ?> answer) {
        String page = Browser.location(toConsent);
        assertTrue(page.startsWith("/consent?request="), page);
        browser.get(page).then().statusCode(200);
        Map<String, Object> form = new HashMap<>(answer);
        form.put("request", page.substring("/consent?request=".length()));
        return browser.post("/consent", form);
    }

    static Map<String, String> query(Response redirect) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(redirect.header("Location")).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static ValidatableResponse exchange(TestAgent client, String code, String redirectUri, String verifier) {
        return exchange(client, code, redirectUri, verifier, List.of());
    }

    private static ValidatableResponse exchange(TestAgent client, String code, String redirectUri, String verifier,
            List<String> resources) {
        var request = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", code).formParam("redirect_uri", redirectUri);
        resources.forEach(resource -> request.formParam("resource", resource));
        if (verifier != null) {
            request.formParam("code_verifier", verifier);
        }
        if (client.apiKey() != null) {
            request.auth().preemptive().basic(client.id(), client.apiKey());
        } else {
            request.formParam("client_id", client.id());
        }
        return request.post("/oauth2/token").then();
    }

    /** Runs the whole flow once; returns the code's redirect. */
    private static Response allowed(Browser browser, TestAgent client, Person person, String scope, Pkce pkce,
            boolean remember) {
        Response toSignIn = browser.get(authorize(client, CALLBACK, scope, pkce));
        assertEquals(303, toSignIn.statusCode(), toSignIn.asString());
        Response toConsent = signIn(browser, toSignIn, person);
        assertEquals(303, toConsent.statusCode());
        Map<String, Object> answer = new HashMap<>(Map.of("decision", "allow", "scope", PERMISSIONS, "lifetime", "1"));
        if (remember) {
            answer.put("remember", "yes");
        }
        Response code = consent(browser, toConsent, answer);
        assertEquals(303, code.statusCode());
        return code;
    }

    @Test
    void aPersonSignsInConsentsAndTheClientGetsATokenThatActsForThem() throws Exception {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person person = owner();
        Pkce pkce = Pkce.create();
        Browser browser = new Browser();

        Response toSignIn = browser.get(authorize(client, CALLBACK, "crm:contacts:read offline_access", pkce));
        assertEquals(303, toSignIn.statusCode(), toSignIn.asString());
        Response signInPage = browser.get(Browser.location(toSignIn));
        signInPage.then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("form-action 'self' https://app.example"))
                .header("Cache-Control", "no-store")
                .body(containsString("<label for=\"username\">"));
        assertTrue(signInPage.header("Set-Cookie").contains("HttpOnly"), signInPage.header("Set-Cookie"));
        Response toConsent = browser.post("/signin", Map.of("username", person.username(), "password", PASSWORD,
                "request", Browser.location(toSignIn).substring("/signin?request=".length())));
        assertEquals(303, toConsent.statusCode());
        String sessionCookie = toConsent.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("mandate_session=")).findFirst().orElseThrow();
        assertTrue(sessionCookie.contains("HttpOnly") && sessionCookie.contains("SameSite=Lax"), sessionCookie);

        browser.get(Browser.location(toConsent)).then().statusCode(200)
                .body(containsString("bot wants to act for you"))
                .body(containsString("Read contacts in crm"))
                .body(containsString("o@example.com"));
        Response redirect = browser.post("/consent", Map.of("decision", "allow", "scope", "crm:contacts:read",
                "lifetime", "1", "request", Browser.location(toConsent).substring("/consent?request=".length())));
        assertEquals(303, redirect.statusCode());
        assertTrue(redirect.header("Location").startsWith(CALLBACK + "?code="), redirect.header("Location"));
        Map<String, String> answer = query(redirect);
        assertEquals("s-123", answer.get("state"));
        assertEquals("http://token.test", answer.get("iss"));

        String[] grantRequest = System.getProperty(DelegationServer.LAST_GRANT_PROPERTY).split("\n", 2);
        assertEquals(person.userId(), SignedJWT.parse(grantRequest[0].substring("Bearer ".length())).getJWTClaimsSet()
                .getSubject(), "the grant is made as the person");
        assertTrue(grantRequest[1].contains("\"agent_id\":\"" + client.id() + "\""), grantRequest[1]);

        var tokens = exchange(client, answer.get("code"), CALLBACK, pkce.verifier()).statusCode(200)
                .body("token_type", equalTo("Bearer")).body("scope", equalTo("crm:contacts:read"))
                .body("refresh_token", startsWith("mnd_rt_")).extract();
        var claims = SignedJWT.parse(tokens.<String>path("access_token")).getJWTClaimsSet();
        assertEquals(person.userId(), claims.getSubject());
        assertEquals(client.id(), claims.getStringClaim("client_id"));
        assertEquals(Map.of("sub", client.id()), claims.getJSONObjectClaim("act"));
        assertTrue(claims.getStringClaim("delegation_id").startsWith("dlg_test"));
        IntrospectionIT.introspect(client, tokens.path("access_token")).body("active", equalTo(true))
                .body("sub", equalTo(person.userId()));

        // The refresh token keeps acting for the person under the same grant.
        String refreshed = RefreshTokenIT.oauthRefresh(client, tokens.path("refresh_token"), null).statusCode(200)
                .extract().path("access_token");
        assertEquals(claims.getStringClaim("delegation_id"),
                SignedJWT.parse(refreshed).getJWTClaimsSet().getStringClaim("delegation_id"));
    }

    @Test
    void theConsentPageSaysEachPermissionInTheWordsOfTheTenantsCatalogue() {
        // A tenant of its own: once a tenant has a catalogue, only what it lists exists there.
        String tenant = "ten_" + TypeIds.randomToken(8);
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, tenant, AGENT_CLIENT);
        IdentityFixtures.publishPermission(tenant, "permission.added", "crm:contacts:read", null);
        IdentityFixtures.publishPermission(tenant, "permission.added", "crm:deals:write",
                "Change the deals in your pipeline");
        Browser browser = new Browser();
        Response toConsent = toConsent(browser, client, person(tenant, List.of("owner"), PERMISSIONS),
                "crm:contacts:read crm:deals:write");
        browser.get(Browser.location(toConsent)).then().statusCode(200)
                .body(containsString("Change the deals in your pipeline"))
                .body(containsString("Read contacts in crm"));
    }

    @Test
    void aCodeForARegisteredResourceGivesTokensForItAloneAndTheirRefreshesKeepIt() throws Exception {
        String tenant = "ten_" + TypeIds.randomToken(8);
        String uri = "https://" + TypeIds.randomToken(6) + ".example.com/mcp";
        IdentityFixtures.publishResource("resource.registered", tenant, TypeIds.newId("res"), uri,
                Map.of("crm:contacts:read", List.of()), 300, false, 1);
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, tenant, AGENT_CLIENT);
        Person person = person(tenant, List.of("owner"), PERMISSIONS);
        Pkce pkce = Pkce.create();
        Browser browser = new Browser();

        Response unknown = browser.get(authorize(client, CALLBACK, "crm:deals:write", pkce, "resource=" + encode(uri)));
        assertEquals("invalid_scope", query(unknown).get("error"), unknown.header("Location"));
        Response toSignIn = browser.get(authorize(client, CALLBACK, "crm:contacts:read offline_access", pkce,
                "resource=" + encode(uri)));
        Response redirect = consent(browser, signIn(browser, toSignIn, person),
                Map.of("decision", "allow", "scope", List.of("crm:contacts:read"), "lifetime", "1"));
        String code = query(redirect).get("code");

        exchange(client, code, CALLBACK, pkce.verifier(), List.of("https://other.example.com/mcp")).statusCode(400)
                .body("error", equalTo("invalid_target"));
        var issued = exchange(client, code, CALLBACK, pkce.verifier(), List.of(uri)).statusCode(200)
                .body("expires_in", equalTo(300)).body("scope", equalTo("crm:contacts:read")).extract();
        assertEquals(List.of(uri), SignedJWT.parse(issued.path("access_token")).getJWTClaimsSet().getAudience());
        RefreshTokenIT.oauthRefresh(client, issued.path("refresh_token"), null, "https://crm.example.com").statusCode(400)
                .body("error", equalTo("invalid_target"));
        String refreshed = RefreshTokenIT.oauthRefresh(client, issued.path("refresh_token"), null).statusCode(200)
                .body("expires_in", equalTo(300)).extract().path("access_token");
        assertEquals(List.of(uri), SignedJWT.parse(refreshed).getJWTClaimsSet().getAudience());
    }

    @Test
    void aCodeWorksOnceAndItsSecondUseRevokesWhatTheFirstIssued() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Pkce pkce = Pkce.create();
        Response redirect = allowed(new Browser(), client, owner(), "crm:contacts:read offline_access", pkce, false);
        String code = query(redirect).get("code");
        var first = exchange(client, code, CALLBACK, pkce.verifier()).statusCode(200).extract();
        exchange(client, code, CALLBACK, pkce.verifier()).statusCode(400).body("error", equalTo("invalid_grant"));
        IntrospectionIT.introspect(client, first.path("access_token")).body("active", equalTo(false));
        RefreshTokenIT.oauthRefresh(client, first.path("refresh_token"), null).statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void pkceIsRequiredAndChecked() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person person = owner();
        Pkce pkce = Pkce.create();
        String code = query(allowed(new Browser(), client, person, "crm:contacts:read", pkce, false)).get("code");
        exchange(client, code, CALLBACK, null).statusCode(400).body("error", equalTo("invalid_request"));
        exchange(client, code, CALLBACK, Pkce.create().verifier()).statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("code_verifier"));
        exchange(client, code, "http://127.0.0.1/cb", pkce.verifier()).statusCode(400).body("error", equalTo("invalid_grant"));

        // plain is refused, and the refusal goes back to the client with its state.
        Response plain = new Browser().get(authorize(client, CALLBACK, "crm:contacts:read", pkce)
                .replace("code_challenge_method=S256", "code_challenge_method=plain"));
        assertEquals(303, plain.statusCode());
        assertTrue(plain.header("Location").startsWith(CALLBACK + "?error=invalid_request"), plain.header("Location"));
        assertEquals("s-123", query(plain).get("state"));
        assertEquals("http://token.test", query(plain).get("iss"));
        Response missing = new Browser().get(authorize(client, CALLBACK, "crm:contacts:read", pkce)
                .replace("&code_challenge=" + pkce.challenge(), ""));
        assertEquals("invalid_request", query(missing).get("error"));
    }

    @Test
    void anUnregisteredRedirectUriIsShownOnAPageNeverRedirectedTo() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Pkce pkce = Pkce.create();
        for (String uri : List.of("https://evil.example/cb", "https://app.example/cb/../x", "http://127.0.0.1/other")) {
            Response page = new Browser().get(authorize(client, uri, "crm:contacts:read", pkce));
            assertEquals(400, page.statusCode(), uri);
            assertNull(page.header("Location"), uri);
            assertTrue(page.asString().contains("redirect_uri is not registered"), page.asString());
        }
        Response unknownClient = new Browser().get(authorize(new TestAgent("agt_nobody", "x", "y"), CALLBACK,
                "crm:contacts:read", pkce));
        assertEquals(400, unknownClient.statusCode());
        assertNull(unknownClient.header("Location"));
        Response repeated = new Browser().get(authorize(client, CALLBACK, "crm:contacts:read", pkce,
                "client_id=" + client.id()));
        assertEquals(400, repeated.statusCode(), "a repeated parameter makes the whole query untrusted");
        assertNull(repeated.header("Location"));
        // A loopback redirect URI may use any port (RFC 8252 §7.3).
        Response loopback = new Browser().get(authorize(client, "http://127.0.0.1:53117/cb", "crm:contacts:read", pkce));
        assertEquals(303, loopback.statusCode());
    }

    @Test
    void formsWithoutTheirCsrfTokenAreRefused() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person person = owner();
        Browser browser = new Browser();
        Response toSignIn = browser.get(authorize(client, CALLBACK, "crm:contacts:read", Pkce.create()));
        browser.get(Browser.location(toSignIn));
        String request = Browser.location(toSignIn).substring("/signin?request=".length());
        browser.post("/signin", Map.of("csrf", "forged", "username", person.username(), "password", PASSWORD,
                "request", request)).then().statusCode(403);
        assertNull(browser.cookie("mandate_session"), "a forged form signs nobody in");
        Response toConsent = browser.post("/signin", Map.of("username", person.username(), "password", PASSWORD,
                "request", request));
        assertEquals(303, toConsent.statusCode());
        browser.get(Browser.location(toConsent)).then().statusCode(200);
        browser.post("/consent", Map.of("csrf", "", "decision", "allow", "scope", "crm:contacts:read", "lifetime", "1",
                "request", request)).then().statusCode(403);
        // Another browser (no csrf cookie) cannot use a token it copied either.
        Browser other = new Browser();
        other.post("/consent", Map.of("csrf", "x".repeat(43), "decision", "allow", "request", request)).then().statusCode(403);
    }

    @Test
    void aSessionOfAnotherTenantMustSignInAgain() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person stranger = person("ten_other", List.of("owner"), PERMISSIONS);
        Browser browser = new Browser();
        Response toSignIn = browser.get(authorize(client, CALLBACK, "crm:contacts:read", Pkce.create()));
        Response afterSignIn = signIn(browser, toSignIn, stranger);
        assertTrue(Browser.location(afterSignIn).startsWith("/signin?request="), afterSignIn.header("Location"));
        browser.get("/consent?" + URI.create(afterSignIn.header("Location")).getRawQuery()).then().statusCode(303)
                .header("Location", containsString("/signin?request="));
    }

    @Test
    void whatThePersonDoesNotHoldIsNotLentAndWhoMayNotLendIsRefused() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person partly = person("ten_test", List.of("owner"), List.of("crm:contacts:read"));
        Browser browser = new Browser();
        Response toConsent = toConsent(browser, client, partly, "crm:contacts:read crm:deals:write");
        browser.get(Browser.location(toConsent)).then().statusCode(200)
                .body(containsString("what you do not hold, so cannot lend"))
                .body(containsString("crm:deals:write"));
        Response code = consent(browser, toConsent, Map.of("decision", "allow",
                "scope", List.of("crm:contacts:read", "crm:deals:write"), "lifetime", "0"));
        assertTrue(System.getProperty(DelegationServer.LAST_GRANT_PROPERTY).contains("\"scopes\":[\"crm:contacts:read\"]"));
        assertNotNull(query(code).get("code"));

        Person auditor = person("ten_test", List.of("auditor"), PERMISSIONS);
        Browser second = new Browser();
        Response denied = toConsent(second, client, auditor, "crm:contacts:read");
        second.get(Browser.location(denied)).then().statusCode(303)
                .header("Location", startsWith(CALLBACK + "?error=access_denied"));
    }

    @Test
    void aDisabledPersonIsSignedOutAndCannotSignIn() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person person = owner();
        Browser browser = new Browser();
        Response toConsent = toConsent(browser, client, person, "crm:contacts:read");
        browser.get(Browser.location(toConsent)).then().statusCode(200);
        String eventId = IdentityFixtures.publishHuman(person.userId(), person.username(), HASH, List.of("owner"),
                PERMISSIONS, "disabled", 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> IdentityFixtures.processed(eventId));
        browser.get(Browser.location(toConsent)).then().statusCode(303).header("Location", containsString("/signin"));
        toConsent(browser, client, person, "crm:contacts:read").then().statusCode(401).body(containsString("not valid"));
    }

    @Test
    void promptNoneAnswersWithoutAPageAndRememberedConsentSkipsIt() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person person = owner();
        Browser browser = new Browser();
        Response none = browser.get(authorize(client, CALLBACK, "crm:contacts:read", Pkce.create(), "prompt=none"));
        assertEquals("login_required", query(none).get("error"));

        allowed(browser, client, person, "crm:contacts:read crm:deals:write", Pkce.create(), true);
        Pkce again = Pkce.create();
        Response skipped = browser.get(authorize(client, CALLBACK, "crm:contacts:read", again));
        assertEquals(303, skipped.statusCode());
        assertTrue(skipped.header("Location").startsWith(CALLBACK + "?code="), "remembered consent skips the pages");
        exchange(client, query(skipped).get("code"), CALLBACK, again.verifier()).statusCode(200)
                .body("scope", equalTo("crm:contacts:read"));
        Response forced = browser.get(authorize(client, CALLBACK, "crm:contacts:read", Pkce.create(), "prompt=consent"));
        assertTrue(Browser.location(forced).startsWith("/consent?request="));
    }

    @Test
    void aRevokedGrantEndsItsTokensAndItsRememberedConsent() throws Exception {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person person = owner();
        Browser browser = new Browser();
        Pkce pkce = Pkce.create();
        Response redirect = allowed(browser, client, person, "crm:contacts:read offline_access", pkce, true);
        var tokens = exchange(client, query(redirect).get("code"), CALLBACK, pkce.verifier()).statusCode(200).extract();
        String delegationId = SignedJWT.parse(tokens.<String>path("access_token")).getJWTClaimsSet()
                .getStringClaim("delegation_id");
        try (TopicReader topic = TopicReader.of(Topics.TOKEN); TopicWriter writer = new TopicWriter()) {
            // A partition's first record after the consumer was assigned it waits about one poll longer.
            String warmUp = revokedEvent(client.id(), TypeIds.newId("dlg"));
            writer.send(Topics.DELEGATION, client.id(), warmUp);
            await().atMost(Duration.ofSeconds(30)).until(() -> IdentityFixtures.processed(TopicReader.parse(warmUp)
                    .path("id").asText()));
            writer.send(Topics.DELEGATION, client.id(), revokedEvent(client.id(), delegationId));
            long sent = System.nanoTime();
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                    !IntrospectionIT.introspect(client, tokens.path("access_token")).extract().<Boolean>path("active"));
            assertTrue(System.nanoTime() - sent < 1_000_000_000L);
            JsonNode revoked = topic.awaitEvent(TopicReader.typeAndSubject("consent.revoked", delegationId),
                    Duration.ofSeconds(15));
            assertEquals(person.userId(), revoked.path("data").path("user_id").asText());
        }
        RefreshTokenIT.oauthRefresh(client, tokens.path("refresh_token"), null).statusCode(400)
                .body("error", equalTo("invalid_grant"));
        Response asksAgain = browser.get(authorize(client, CALLBACK, "crm:contacts:read", Pkce.create()));
        assertTrue(Browser.location(asksAgain).startsWith("/consent?request="), "a revoked grant is asked for again");
    }

    @Test
    void aPublicClientUsesPkceAloneAndCannotUseClientCredentials() throws Exception {
        TestAgent app = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", PUBLIC_APP);
        Person person = owner();
        Browser browser = new Browser();
        Pkce pkce = Pkce.create();
        String redirectUri = "http://127.0.0.1:40123/cb";
        Response toSignIn = browser.get(authorize(app, redirectUri, "crm:contacts:read", pkce));
        Response toConsent = signIn(browser, toSignIn, person);
        browser.get(Browser.location(toConsent)).then().body(containsString("bot wants access to your account"));
        Response redirect = consent(browser, toConsent, Map.of("decision", "allow", "scope", "crm:contacts:read",
                "lifetime", "0"));
        assertTrue(redirect.header("Location").startsWith(redirectUri + "?code="));
        String token = exchange(app, query(redirect).get("code"), redirectUri, pkce.verifier()).statusCode(200)
                .extract().path("access_token");
        assertNull(SignedJWT.parse(token).getJWTClaimsSet().getClaim("act"), "an app does not act: it is the person's");
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", app.id()).post("/oauth2/token").then().statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void theDeniedAndThePushedRequestsGoBackToTheClient() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person person = owner();
        Browser browser = new Browser();
        Response toConsent = toConsent(browser, client, person, "crm:contacts:read");
        Response denied = consent(browser, toConsent, Map.of("decision", "deny"));
        assertEquals("access_denied", query(denied).get("error"));
        assertEquals("s-123", query(denied).get("state"));
        // The same form sent again: the request was answered; a page says so, nothing goes to the client.
        Response again = browser.post("/consent", Map.of("decision", "allow", "scope", "crm:contacts:read",
                "request", Browser.location(toConsent).substring("/consent?request=".length())));
        assertEquals(400, again.statusCode());
        assertNull(again.header("Location"));

        Pkce pkce = Pkce.create();
        String requestUri = given().auth().preemptive().basic(client.id(), client.apiKey())
                .contentType("application/x-www-form-urlencoded").formParam("response_type", "code")
                .formParam("redirect_uri", CALLBACK).formParam("scope", "crm:contacts:read")
                .formParam("code_challenge", pkce.challenge()).formParam("code_challenge_method", "S256")
                .formParam("state", "pushed").post("/oauth2/par").then().statusCode(201)
                .body("expires_in", org.hamcrest.Matchers.lessThanOrEqualTo(60)).extract().path("request_uri");
        String path = "/oauth2/authorize?client_id=" + client.id() + "&request_uri=" + encode(requestUri);
        Response skipped = browser.get(path);
        assertTrue(Browser.location(skipped).startsWith("/consent?request="), skipped.header("Location"));
        Response used = new Browser().get(path);
        assertEquals(400, used.statusCode(), "a request_uri is used once");
        given().auth().preemptive().basic(client.id(), client.apiKey()).contentType("application/x-www-form-urlencoded")
                .formParam("response_type", "code").formParam("redirect_uri", "https://evil.example/cb")
                .formParam("code_challenge", pkce.challenge()).formParam("code_challenge_method", "S256")
                .post("/oauth2/par").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void signInAndItsFailuresArePublished() {
        TestAgent client = IdentityFixtures.registerClient(PERMISSIONS, "ten_test", AGENT_CLIENT);
        Person person = owner();
        try (TopicReader topic = TopicReader.of(Topics.TOKEN)) {
            Browser browser = new Browser();
            Response toSignIn = browser.get(authorize(client, CALLBACK, "crm:contacts:read", Pkce.create()));
            browser.get(Browser.location(toSignIn));
            browser.post("/signin", Map.of("username", person.username(), "password", "wrong", "request", ""))
                    .then().statusCode(401).body(containsString("not valid"));
            JsonNode failed = topic.awaitEvent(TopicReader.typeAndSubject("human.login_failed", person.userId()),
                    Duration.ofSeconds(15));
            assertEquals("wrong_password", failed.path("data").path("reason").asText());
            assertEquals("browser", failed.path("data").path("channel").asText());
            assertFalse(failed.toString().contains("wrong\""), "what was typed as a password is never published");
            signIn(browser, toSignIn, person);
            JsonNode signedIn = topic.awaitEvent(TopicReader.typeAndSubject("human.logged_in", person.userId()),
                    Duration.ofSeconds(15));
            assertEquals("browser", signedIn.path("data").path("channel").asText());
        }
    }

    /** A {@code delegation.revoked} as delegation-service publishes it. */
    private static String revokedEvent(String agentId, String delegationId) {
        return TestEvents.from("delegation-service", "delegation.revoked").subject(delegationId)
                .time("2026-12-05T00:00:00Z").tenant("ten_test").partitionKey(agentId)
                .data(Map.of("tenant_id", "ten_test", "delegation_id", delegationId, "delegation_ids",
                        List.of(delegationId), "reason", "revoked by human")).json();
    }

    static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
