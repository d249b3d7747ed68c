package io.mandate.token.rest;

import static io.mandate.token.rest.AuthorizationCodeIT.consent;
import static io.mandate.token.rest.AuthorizationCodeIT.encode;
import static io.mandate.token.rest.AuthorizationCodeIT.person;
import static io.mandate.token.rest.AuthorizationCodeIT.query;
import static io.mandate.token.rest.AuthorizationCodeIT.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.TypeIds;
import io.mandate.token.ClientMetadataServer;
import io.mandate.token.ClientMetadataServer.Answer;
import io.mandate.token.DelegationServer;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityServer;
import io.mandate.token.browser.Browser;
import io.mandate.token.rest.AuthorizationCodeIT.Person;
import io.mandate.token.rest.AuthorizationCodeIT.Pkce;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Clients nobody registered, known by a Client ID Metadata Document (as MCP clients are): the whole flow
 * with a document on a real https server, identity-service and delegation-service as stand-ins; and every
 * refusal shown on a page, each URL fetched once.
 */
@QuarkusTest
@QuarkusTestResource(DelegationServer.class)
@QuarkusTestResource(IdentityServer.class)
@QuarkusTestResource(ClientMetadataServer.class)
class MetadataDocumentClientIT {

    private static final String CALLBACK = "http://127.0.0.1/callback";

    record Setup(String tenant, String resource, Person person) {
    }

    private static Setup tenantWithResource() {
        String tenant = "ten_" + TypeIds.randomToken(8);
        String resource = "https://" + TypeIds.randomToken(6) + ".example.com/mcp";
        IdentityFixtures.publishResource("resource.registered", tenant, TypeIds.newId("res"), resource,
                Map.of("notes:read", List.of()), null, false, 1);
        return new Setup(tenant, resource, person(tenant, List.of("owner"), List.of("notes:read")));
    }

    private static String document(String path, String name) {
        ClientMetadataServer.answer(path, Answer.json(ClientMetadataServer.document(path, name,
                List.of(CALLBACK)), "Cache-Control", "max-age=300"));
        return ClientMetadataServer.url(path);
    }

    private static String authorize(String clientId, String redirectUri, String resource, Pkce pkce) {
        return "/oauth2/authorize?response_type=code&client_id=" + encode(clientId) + "&redirect_uri="
                + encode(redirectUri) + "&state=s-1&scope=notes:read&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256" + (resource == null ? "" : "&resource=" + encode(resource));
    }

    @Test
    void aClientKnownByItsDocumentSignsAPersonInAndGetsATokenForTheResource() throws Exception {
        Setup setup = tenantWithResource();
        String clientId = document("/clients/notes-" + TypeIds.randomToken(4) + ".json", "Notes desktop");
        Pkce pkce = Pkce.create();
        Browser browser = new Browser();
        String redirect = "http://127.0.0.1:41234/callback"; // a loopback redirect URI matches any port
        Response toSignIn = browser.get(authorize(clientId, redirect, setup.resource(), pkce));
        assertEquals(303, toSignIn.statusCode(), toSignIn.asString());
        Response toConsent = signIn(browser, toSignIn, setup.person());
        browser.get(Browser.location(toConsent)).then().statusCode(200)
                .body(containsString("Notes desktop"))
                .body(containsString("described by its own document at <strong>127.0.0.1</strong>"))
                .body(containsString("Nobody at your organisation has vetted this client"));
        Response code = consent(browser, toConsent, Map.of("decision", "allow", "scope", List.of("notes:read"),
                "lifetime", "1"));
        Map<String, String> answer = query(code);
        assertTrue(code.header("Location").startsWith(redirect + "?"), code.header("Location"));

        String accessToken = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", answer.get("code"))
                .formParam("redirect_uri", redirect).formParam("code_verifier", pkce.verifier())
                .formParam("client_id", clientId).formParam("resource", setup.resource())
                .post("/oauth2/token").then().statusCode(200).body("scope", equalTo("notes:read"))
                .extract().path("access_token");
        JWTClaimsSet claims = SignedJWT.parse(accessToken).getJWTClaimsSet();
        assertEquals(List.of(setup.resource()), claims.getAudience());
        assertEquals(setup.person().userId(), claims.getSubject());
        assertEquals(setup.tenant(), claims.getStringClaim("tenant_id"));
        assertTrue(System.getProperty(DelegationServer.LAST_GRANT_PROPERTY).contains(claims.getStringClaim("client_id")),
                "the consent lent to the client identity-service registered for the document");

        // The next sign-in finds the client registered: no second fetch within the document's lifetime.
        browser.get(authorize(clientId, redirect, setup.resource(), Pkce.create())).then().statusCode(303);
        assertEquals(1, ClientMetadataServer.fetches(java.net.URI.create(clientId).getPath()));
    }

    @Test
    void everyRefusalIsShownOnAPageAndNoUrlIsFetchedTwice() {
        Setup setup = tenantWithResource();
        Browser browser = new Browser();
        String good = document("/clients/good-" + TypeIds.randomToken(4) + ".json", "Good");
        String big = "/clients/big-" + TypeIds.randomToken(4) + ".json";
        ClientMetadataServer.answer(big, Answer.json(ClientMetadataServer.document(big, "b".repeat(6000), List.of(CALLBACK))));
        String other = "/clients/other-" + TypeIds.randomToken(4) + ".json";
        ClientMetadataServer.answer(other, Answer.json(ClientMetadataServer.document("/clients/someone.json", "Other",
                List.of(CALLBACK))));
        Map<String, String> refusals = Map.of(
                "https://10.1.2.3/client.json", "private, loopback, link-local",
                ClientMetadataServer.url(big), "larger than 5120 bytes",
                ClientMetadataServer.url(other), "client_id is not the URL it was fetched from");
        for (int attempt = 0; attempt < 2; attempt++) {
            refusals.forEach((clientId, why) -> browser.get(authorize(clientId, CALLBACK, setup.resource(), Pkce.create()))
                    .then().statusCode(400).body(containsString(why)).header("Location", equalTo(null)));
        }
        assertEquals(1, ClientMetadataServer.fetches(big));
        assertEquals(1, ClientMetadataServer.fetches(other));

        // A redirect URI the document does not list is never redirected to.
        browser.get(authorize(good, "https://evil.example/steal", setup.resource(), Pkce.create())).then().statusCode(400)
                .header("Location", equalTo(null)).body(not(containsString("evil.example/steal?")));
        // Without a registered resource, nothing says which tenant the client signs in to.
        browser.get(authorize(good, CALLBACK, null, Pkce.create())).then().statusCode(400)
                .body(containsString("must name the resource"));
        // A client the organisation revoked stays out, even with a changed document.
        String revoked = document("/clients/revoked-" + TypeIds.randomToken(4) + ".json", "Revoked");
        System.setProperty(IdentityServer.REVOKED_PROPERTY, revoked);
        browser.get(authorize(revoked, CALLBACK, setup.resource(), Pkce.create())).then().statusCode(400)
                .body(containsString("revoked by the organisation"));
    }
}
