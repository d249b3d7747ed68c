package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.audit;
import static io.mandate.e2e.Platform.delegation;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.client.AccessToken;
import io.mandate.client.ClientCredentials;
import io.mandate.client.DpopKey;
import io.mandate.client.Json;
import io.mandate.client.MandateClient;
import io.mandate.client.MandateHttp;
import io.mandate.client.OAuthErrorException;
import io.mandate.client.RetryPolicy;
import io.mandate.client.TokenExchange;
import io.mandate.e2e.Platform.Agent;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mandate-client (the agent's side) and mandate-resource-server (inside examples/reports-api) against the real
 * platform: tokens for a resource, DPoP with the API's and the token endpoint's nonces, a person's delegation
 * exchanged, a signing key rotated and the old one disabled while both run, a renewal storm, typed errors.
 */
class JavaLibrariesIT {

    private static ReportsApi api;

    @BeforeAll
    static void platform() throws Exception {
        api = ReportsApi.start();
    }

    @Test
    void anAgentCallsTheApiAndTheApiSeesWhoCalls() {
        Agent agent = agentHolding(List.of("reports:read"));
        MandateClient client = client(agent, null).build();

        HttpResponse<String> reports = client.send(get("/reports"));
        assertEquals(200, reports.statusCode(), reports.body());
        Map<String, Object> caller = object(Json.object(reports.body()).get("caller"));
        assertEquals(agent.id(), caller.get("agent_id"));
        assertEquals(agent.id(), caller.get("subject"));
        assertEquals(api.tenant.id(), caller.get("tenant_id"));
        assertEquals(List.of("reports:read"), caller.get("scopes"));
        assertEquals("Bearer", caller.get("scheme"));

        HttpResponse<String> write = client.send(post("/reports", "{\"title\":\"Q3\"}"));
        assertEquals(403, write.statusCode());
        String challenge = write.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.contains("error=\"insufficient_scope\"") && challenge.contains("scope=\"reports:write\"")
                && challenge.contains("resource_metadata=\"" + api.url + "/.well-known/oauth-protected-resource/"),
                challenge);
        assertEquals(1, client.tokenRequests(), "both calls went with one token");

        // The metadata the challenge points at names Mandate.
        Response metadata = given().get(challenge.replaceAll(".*resource_metadata=\"([^\"]+)\".*", "$1"));
        metadata.then().statusCode(200);
        assertEquals(api.audience, metadata.path("resource"));
        assertEquals(List.of(token.url()), metadata.path("authorization_servers"));
    }

    @Test
    void aDpopBoundTokenIsAcceptedOnlyWithAFreshProofOfItsKey() throws Exception {
        Agent agent = agentHolding(List.of("reports:read"));
        DpopKey key = DpopKey.generate();
        MandateClient client = client(agent, key).build();

        // The API asks for a nonce of its own; the client answers it by itself.
        HttpResponse<String> reports = client.send(get("/reports"));
        assertEquals(200, reports.statusCode(), reports.body());
        assertEquals("DPoP", object(Json.object(reports.body()).get("caller")).get("scheme"));
        AccessToken bound = client.token();
        assertTrue(bound.dpopBound());
        assertEquals(key.thumbprint(), object(SignedJWT.parse(bound.value()).getJWTClaimsSet().getClaim("cnf")).get("jkt"));

        URI whoami = URI.create(api.url + "/whoami");
        assertRefused(raw(whoami, "DPoP " + bound.value(), null), 401, "invalid_dpop_proof", "needs a DPoP proof");
        assertRefused(raw(whoami, "Bearer " + bound.value(), null), 401, "invalid_token", "goes with the DPoP scheme");
        DpopKey stranger = DpopKey.generate();
        HttpResponse<String> withoutNonce = raw(whoami, "DPoP " + bound.value(), stranger.proof("GET", whoami,
                bound.value()));
        assertRefused(withoutNonce, 401, "use_dpop_nonce", "the server's nonce");
        stranger.rememberNonce(whoami, withoutNonce.headers().firstValue("DPoP-Nonce").orElseThrow());
        assertRefused(raw(whoami, "DPoP " + bound.value(), stranger.proof("GET", whoami, bound.value())), 401,
                "invalid_dpop_proof", "signed by another key");
        assertRefused(raw(whoami, "DPoP " + bound.value(), key.proof("GET", URI.create(api.url + "/reports"),
                bound.value())), 401, "invalid_dpop_proof", "another URL");

        String proof = key.proof("GET", whoami, bound.value());
        assertEquals(200, raw(whoami, "DPoP " + bound.value(), proof).statusCode());
        assertRefused(raw(whoami, "DPoP " + bound.value(), proof), 401, "invalid_dpop_proof", "used before");
    }

    @Test
    void theClientAnswersTheTokenEndpointsNonce() {
        Agent agent = agentHolding(List.of("reports:read"));
        DpopKey key = DpopKey.generate();
        // A nonce token-service does not accept (an old one, say): it answers use_dpop_nonce with its own.
        key.rememberNonce(URI.create(token.url() + "/oauth2/token"), "expired-nonce");
        MandateClient client = client(agent, key).build();
        AccessToken bound = client.token();
        assertTrue(bound.dpopBound());
        assertEquals(1, client.tokenRequests(), "the nonce's second try is part of the same request");
        assertEquals(200, client.send(get("/whoami")).statusCode());
    }

    @Test
    void aPersonsDelegationIsExchangedAndTheApiSeesTheChain() {
        Agent agent = agentHolding(List.of("reports:read", "reports:write"));
        String owner = api.tenant.owner(List.of("reports:read", "reports:write"));
        Response granted = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(delegation.url()).header("Authorization", owner)
                        .contentType(ContentType.JSON).body(Map.of("agent_id", agent.id(), "scopes",
                                List.of("reports:write"), "expires_in", 600)).post("/v1/delegations"),
                        r -> r.statusCode() != 404 && !"authority_unknown".equals(r.path("code")));
        granted.then().statusCode(201);
        String person = granted.path("delegation.user_id");

        MandateClient client = client(agent, null).build();
        AccessToken delegated = client.exchange(TokenExchange.delegation(granted.path("delegation_token"))
                .resource(api.audience));
        // reports:write implies reports:read, and the token says both.
        assertEquals(List.of("reports:read", "reports:write"), delegated.scopes());
        assertEquals(delegated.value(), client.exchange(TokenExchange.delegation(granted.path("delegation_token"))
                .resource(api.audience)).value(), "an exchanged token is kept like any other");

        HttpResponse<String> written = client.send(post("/reports", "{\"title\":\"Board pack\"}"), delegated);
        assertEquals(201, written.statusCode(), written.body());
        Map<String, Object> report = Json.object(written.body());
        assertEquals(person, report.get("author"));
        assertEquals(agent.id(), report.get("acting_agent"));

        Map<String, Object> who = Json.object(client.send(get("/whoami"), delegated).body());
        assertEquals(person, who.get("subject"));
        assertEquals(List.of(agent.id()), who.get("act"));
        assertEquals(granted.path("delegation.id"), who.get("delegation_id"));
        assertEquals(200, client.send(get("/reports"), delegated).statusCode());
        Map<String, Object> itself = Json.object(client.send(get("/whoami")).body());
        assertEquals(agent.id(), itself.get("subject"), "the agent's own token speaks for the agent alone");
        assertEquals(List.of(), itself.get("act"));
    }

    @Test
    void aKeyRotationKeepsTheClientAndTheApiWorking() throws Exception {
        Agent agent = agentHolding(List.of("reports:read"));
        MandateClient client = client(agent, null).build();
        assertEquals(200, client.send(get("/whoami")).statusCode());
        AccessToken before = client.token();
        String oldKid = SignedJWT.parse(before.value()).getHeader().getKeyID();

        String newKid = given().baseUri(token.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("algorithm", "ES256")).post("/v1/signing-keys/rotate").then().statusCode(200)
                .extract().path("kid");
        // Another client of the same agent gets a token of the new key once token-service signs with it; the API
        // has never seen that key and fetches it on the spot.
        String after = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> client(agent, null).build().accessToken(),
                        fresh -> newKid.equals(kid(fresh)));
        assertEquals(200, raw(URI.create(api.url + "/whoami"), "Bearer " + after, null).statusCode());
        assertEquals(200, client.send(get("/whoami")).statusCode(), "a token of the old key still counts");
        assertEquals(before.value(), client.token().value());

        // The old key is disabled: within the API's key lifetime its tokens are refused, and the client, told
        // invalid_token, renews and carries on.
        given().baseUri(token.url()).header("Authorization", ADMIN).post("/v1/signing-keys/" + oldKid + "/disable")
                .then().statusCode(200);
        URI whoami = URI.create(api.url + "/whoami");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> raw(whoami, "Bearer " + before.value(), null).statusCode() == 401);
        assertRefused(raw(whoami, "Bearer " + before.value(), null), 401, "invalid_token",
                "is not one of Mandate's signing keys");
        HttpResponse<String> carriedOn = client.send(HttpRequest.newBuilder(whoami).GET());
        assertEquals(200, carriedOn.statusCode(), carriedOn.body());
        assertEquals(2, client.tokenRequests());
        assertEquals(newKid, SignedJWT.parse(client.token().value()).getHeader().getKeyID());
    }

    @Test
    void fiftyThreadsFindingTheTokenStaleRenewItWithOneRequest() throws Exception {
        Agent agent = agentHolding(List.of("reports:read"));
        MovableClock clock = new MovableClock();
        MandateClient client = client(agent, null)
                .http(new MandateHttp(HttpClient.newHttpClient(), RetryPolicy.defaults(), clock)).build();
        AccessToken first = client.token();
        clock.advance(Duration.ofMinutes(16));

        ExecutorService threads = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> seen = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            seen.add(threads.submit(() -> {
                go.await();
                return client.accessToken();
            }));
        }
        go.countDown();
        Set<String> values = new HashSet<>();
        for (Future<String> value : seen) {
            values.add(value.get());
        }
        threads.shutdown();
        assertEquals(1, values.size(), "every thread got the one renewed token");
        assertNotEquals(first.value(), values.iterator().next());
        assertEquals(2, client.tokenRequests());

        // token-service's audit trail agrees: one token when the agent was set up, the client's two, and one more
        // after the storm that marks the end (the agent's events are in order on its partition).
        Platform.requestToken(agent).then().statusCode(200);
        List<Object> verified = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> given().baseUri(audit.url()).header("Authorization", ADMIN)
                        .header("Mandate-Tenant", api.tenant.id()).queryParam("agent_id", agent.id())
                        .queryParam("type", "agent.verified").queryParam("limit", 500).get("/v1/audit/events")
                        .then().statusCode(200).extract().<List<Object>>path("items"), items -> items.size() >= 4);
        assertEquals(4, verified.size());
    }

    @Test
    void refusalsAreTypedWithTheServersCode() {
        Agent agent = agentHolding(List.of("reports:read"));
        OAuthErrorException badSecret = assertThrows(OAuthErrorException.class, () -> MandateClient.builder()
                .issuer(URI.create(token.url())).credentials(ClientCredentials.secret(agent.id(), "not-the-key"))
                .build().token());
        assertEquals(401, badSecret.status());
        assertEquals("invalid_client", badSecret.error());

        OAuthErrorException notHeld = assertThrows(OAuthErrorException.class,
                () -> client(agent, null).build().token("reports:write", api.audience));
        assertEquals(400, notHeld.status());
        assertEquals("invalid_scope", notHeld.error());

        // The agent's tier allows 60 tokens a minute; the 61st is 429 with Retry-After. A client that may wait at
        // most a second does not retry into it, and says how long the server asked for.
        MandateClient patient = client(agent, null)
                .http(new MandateHttp(HttpClient.newHttpClient(), new RetryPolicy(3, Duration.ofMillis(50),
                        Duration.ofSeconds(1)), Clock.systemUTC())).build();
        Response limited;
        do {
            limited = Platform.requestToken(agent);
        } while (limited.statusCode() == 200);
        assertEquals(429, limited.statusCode());
        if (Integer.parseInt(limited.header("Retry-After")) < 3) {
            // The minute is nearly over: start a fresh one so the client meets the limit too.
            await().atMost(Duration.ofSeconds(5)).until(() -> Platform.requestToken(agent).statusCode() == 200);
            while (Platform.requestToken(agent).statusCode() == 200) {
                // use up the new minute
            }
        }
        OAuthErrorException limitedError = assertThrows(OAuthErrorException.class,
                () -> patient.token("reports:read", api.audience));
        assertEquals(429, limitedError.status());
        assertEquals("rate_limited", limitedError.error());
        assertTrue(limitedError.retryAfter().orElseThrow().compareTo(Duration.ofSeconds(1)) > 0);
        assertEquals(1, patient.tokenRequests());
    }

    @Test
    void privateKeyJwtSignsTheClientIn() throws Exception {
        Agent agent = agentHolding(List.of("reports:read"));
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        given().baseUri(Platform.identity.url()).header("Authorization", ADMIN).header("Mandate-Tenant", api.tenant.id())
                .contentType(ContentType.JSON).body(Map.of("jwk", key.toPublicJWK().toJSONObject()))
                .post("/v1/agents/" + agent.id() + "/credentials/public-keys").then().statusCode(201);
        MandateClient client = MandateClient.builder().issuer(URI.create(token.url()))
                .credentials(ClientCredentials.privateKey(agent.id(), key)).resource(api.audience).build();
        AccessToken signedIn = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .ignoreException(OAuthErrorException.class).until(client::token, t -> t != null);
        assertEquals(List.of("reports:read"), signedIn.scopes());
        assertEquals(200, client.send(get("/whoami")).statusCode());
    }

    @Test
    void theApiRefusesForgedAndMisdirectedTokens() throws Exception {
        Agent agent = agentHolding(List.of("reports:read"));
        String genuine = client(agent, null).build().accessToken();
        SignedJWT parsed = SignedJWT.parse(genuine);
        JWSHeader ours = parsed.getHeader();
        JWTClaimsSet claims = parsed.getJWTClaimsSet();
        String[] parts = genuine.split("\\.");
        ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();

        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("alg none", Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + ours.getKeyID()
                + "\"}") + "." + parts[1] + ".");
        byte[] jwks = given().get(token.url() + "/.well-known/jwks.json").asByteArray();
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(ours.getType())
                .keyID(ours.getKeyID()).build(), claims);
        hmac.sign(new MACSigner(Arrays.copyOf(jwks, Math.max(64, jwks.length))));
        attacks.put("HS256 keyed with the public keys", hmac.serialize());
        attacks.put("our kid, another key", signed(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(ours.getType()).keyID(ours.getKeyID()).build(), claims));
        attacks.put("unknown kid", signed(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(ours.getType())
                .keyID("unknown").build(), claims));
        attacks.put("jku elsewhere", signed(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(ours.getType())
                .keyID(ours.getKeyID()).jwkURL(URI.create("https://attacker.example/jwks.json")).build(), claims));
        attacks.put("x5u elsewhere", signed(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(ours.getType())
                .keyID(ours.getKeyID()).x509CertURL(URI.create("https://attacker.example/cert.pem")).build(), claims));
        attacks.put("embedded jwk", signed(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(ours.getType())
                .jwk(attacker.toPublicJWK()).build(), claims));
        attacks.put("stripped signature", parts[0] + "." + parts[1] + ".");
        attacks.put("changed payload", parts[0] + "." + Base64URL.encode(new JWTClaimsSet.Builder(claims)
                .claim("scope", "reports:write").build().toString()) + "." + parts[2]);
        attacks.put("oversized", parts[0] + "." + Base64URL.encode(new JWTClaimsSet.Builder(claims)
                .claim("pad", "x".repeat(12_000)).build().toString()) + "." + parts[2]);
        // Genuine, but for Mandate's own APIs rather than this one.
        attacks.put("another audience", Platform.requestToken(agent).path("access_token"));

        URI whoami = URI.create(api.url + "/whoami");
        for (var attack : attacks.entrySet()) {
            HttpResponse<String> refused = raw(whoami, "Bearer " + attack.getValue(), null);
            assertEquals(401, refused.statusCode(), attack.getKey() + ": " + refused.body());
            assertEquals("invalid_token", Json.object(refused.body()).get("error"), attack.getKey());
        }
        assertEquals(200, raw(whoami, "Bearer " + genuine, null).statusCode());
    }

    private static String signed(ECKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static Agent agentHolding(List<String> permissions) {
        Agent agent = api.tenant.register(permissions);
        // Until token-service has seen the agent and the resource, tokens for it are refused.
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(token.url()).auth().preemptive().basic(agent.id(), agent.apiKey())
                        .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                        .formParam("resource", api.audience).post("/oauth2/token").statusCode() == 200);
        return agent;
    }

    private static String kid(String jwt) {
        try {
            return SignedJWT.parse(jwt).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static MandateClient.Builder client(Agent agent, DpopKey dpop) {
        return MandateClient.builder().issuer(URI.create(token.url()))
                .credentials(ClientCredentials.secret(agent.id(), agent.apiKey())).resource(api.audience).dpop(dpop);
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(api.url + path)).GET();
    }

    private static HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(api.url + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpResponse<String> raw(URI uri, String authorization, String proof) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", authorization).GET();
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return MandateHttp.defaults().send(request::build, true);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String error, String because) {
        assertEquals(status, response.statusCode(), response.body());
        Map<String, Object> body = Json.object(response.body());
        assertEquals(error, body.get("error"), response.body());
        assertTrue(String.valueOf(body.get("error_description")).contains(because), response.body());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"" + error + "\""));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    /** A clock a test moves forward, to make a token stale without waiting for it. */
    static final class MovableClock extends Clock {

        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
