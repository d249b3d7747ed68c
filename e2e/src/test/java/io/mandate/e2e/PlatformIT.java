package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.ADMIN_TOKEN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.READY_TIMEOUT;
import static io.mandate.e2e.Platform.audit;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.register;
import static io.mandate.e2e.Platform.requestToken;
import static io.mandate.e2e.Platform.token;
import static io.mandate.e2e.Platform.webhook;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.mandate.e2e.Platform.Agent;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The slice through all five services, each a separate packaged process on the real PostgreSQL and
 * Kafka: register, token, JWKS, audit, webhook, SIGKILL of audit-service, revocation.
 */
class PlatformIT {

    static HttpServer receiver;
    static final List<Map.Entry<Map<String, List<String>>, String>> deliveries = new CopyOnWriteArrayList<>();
    /** The "/flaky" receiver answers 503 until told otherwise, then records what it accepted. */
    static final AtomicBoolean flakyAccepts = new AtomicBoolean();
    static final Set<String> flakyDelivered = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startPlatform() throws Exception {
        Platform.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            deliveries.add(Map.entry(Map.copyOf(exchange.getRequestHeaders()), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/flaky", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean accept = flakyAccepts.get();
            if (accept) {
                flakyDelivered.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            }
            exchange.sendResponseHeaders(accept ? 204 : 503, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        // The services outlive this class (other classes use them): endpoints whose receiver is gone
        // would be retried every second (the e2e retry schedule) and load the machine for the rest.
        List<String> endpoints = given().baseUri(webhook.url()).header("Authorization", ADMIN).get("/v1/webhooks")
                .then().statusCode(200).extract().path("items.id");
        for (String id : endpoints) {
            given().baseUri(webhook.url()).header("Authorization", ADMIN).delete("/v1/webhooks/" + id);
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    static List<Map<String, Object>> auditOf(String agentId) {
        return given().baseUri(audit.url()).header("Authorization", ADMIN).queryParam("agent_id", agentId)
                .queryParam("limit", 500).get("/v1/audit/events").then().statusCode(200).extract().path("items");
    }

    static long auditCount(String agentId, String type) {
        return auditOf(agentId).stream().filter(e -> type.equals(e.get("type"))).count();
    }

    @Test
    void oneAgentThroughAllFiveServices() throws Exception {
        String secret = given().baseUri(webhook.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                        "events", List.of("agent.verified")))
                .post("/v1/webhooks").then().statusCode(201).extract().path("secret");

        // Register, then a token at once: no sleep between the two.
        Agent agent = register("e2e-bot");
        Response tokenResponse = requestToken(agent);
        tokenResponse.then().statusCode(200);
        String accessToken = tokenResponse.path("access_token");

        // The signature verifies through the published JWKS.
        SignedJWT jwt = SignedJWT.parse(accessToken);
        JWKSet jwks = JWKSet.parse(given().baseUri(token.url()).get("/.well-known/jwks.json").asString());
        assertTrue(jwt.verify(new ECDSAVerifier(jwks.getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey())));
        assertEquals(agent.id(), jwt.getJWTClaimsSet().getSubject());
        assertEquals("crm:contacts:read crm:deals:*", jwt.getJWTClaimsSet().getStringClaim("scope"));

        // audit-service recorded both events.
        await().atMost(EVENT_TIMEOUT).until(() ->
                auditCount(agent.id(), "agent.registered") == 1 && auditCount(agent.id(), "agent.verified") == 1);

        // The receiver got agent.verified, and the Standard Webhooks library accepts the signature.
        await().atMost(EVENT_TIMEOUT).until(() -> deliveries.stream().anyMatch(d -> d.getValue().contains(agent.id())));
        var delivery = deliveries.stream().filter(d -> d.getValue().contains(agent.id())).findFirst().orElseThrow();
        Map<String, List<String>> headers = new java.util.HashMap<>();
        delivery.getKey().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
        new Webhook(secret).verify(delivery.getValue(), headers); // throws unless the signature is valid
        assertTrue(delivery.getValue().contains("\"type\":\"agent.verified\""));

        // audit-service is SIGKILLed while a second agent's tokens are being issued.
        Agent busy = register("e2e-busy-bot");
        AtomicInteger issued = new AtomicInteger();
        Thread traffic = new Thread(() -> {
            for (int i = 0; i < 60; i++) {
                if (requestToken(busy).statusCode() == 200) {
                    issued.incrementAndGet();
                }
            }
        });
        traffic.start();
        await().atMost(EVENT_TIMEOUT).until(() -> auditCount(busy.id(), "agent.verified") >= 5);
        audit.kill();
        traffic.join();
        assertEquals(60, issued.get(), "token issuance does not depend on audit-service");

        // Revocation takes effect within a second, while audit-service is still down.
        given().baseUri(identity.url()).header("Authorization", ADMIN).post("/v1/agents/" + agent.id() + "/revoke")
                .then().statusCode(200);
        long revokedAt = System.nanoTime();
        // Until token-service has heard of the revocation it still issues tokens, each one audited.
        AtomicInteger verified = new AtomicInteger(1);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
            int status = requestToken(agent).statusCode();
            if (status == 200) {
                verified.incrementAndGet();
            }
            return status == 401;
        });
        long refusedAfterMs = (System.nanoTime() - revokedAt) / 1_000_000;
        requestToken(agent).then().statusCode(401).body("error", org.hamcrest.Matchers.equalTo("invalid_client"));
        System.out.printf("revocation refused after %d ms%n", refusedAfterMs);

        // Restarted, audit-service has every event exactly once.
        audit.start();
        audit.awaitReady(READY_TIMEOUT);
        await().atMost(Duration.ofSeconds(60)).until(() -> auditCount(busy.id(), "agent.verified") == 60
                && auditCount(agent.id(), "agent.revoked") == 1);
        assertEquals(1, auditCount(busy.id(), "agent.registered"));
        assertEquals(1, auditCount(agent.id(), "agent.registered"));
        assertEquals(verified.get(), auditCount(agent.id(), "agent.verified"));
        for (String agentId : List.of(busy.id(), agent.id())) {
            List<Object> ids = auditOf(agentId).stream().map(e -> e.get("id")).toList();
            assertEquals(ids.size(), new HashSet<>(ids).size(), "no event twice");
        }
        // ... and the tenant's hash chain has no gap and no fork: every record links to the one before.
        given().baseUri(audit.url()).header("Authorization", ADMIN).get("/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("checked", greaterThan(62));

        // Suspension stops tokens within a second; reactivation restores them as fast.
        Agent paused = register("e2e-paused-bot");
        requestToken(paused).then().statusCode(200);
        given().baseUri(identity.url()).header("Authorization", ADMIN).post("/v1/agents/" + paused.id() + "/suspend")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> requestToken(paused).statusCode() == 401);
        given().baseUri(identity.url()).header("Authorization", ADMIN).post("/v1/agents/" + paused.id() + "/reactivate")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> requestToken(paused).statusCode() == 200);
    }

    @Test
    void anOwnerLogsInRegistersAnAgentAndSuspendsIt() throws Exception {
        String username = "e2e-owner-" + Long.toString(System.nanoTime(), 36);
        String email = username + "@example.com";
        String password = "correct horse battery staple";
        given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("username", username, "email", email, "password", password, "roles", List.of("owner"),
                        "permissions", List.of("crm:*:*")))
                .post("/v1/users").then().statusCode(201);

        // token-service learns of the account from the internal topic; no call to identity-service.
        Response login = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> given().baseUri(token.url()).contentType(ContentType.JSON)
                        .body(Map.of("username", username, "password", password)).post("/v1/auth/login"),
                        r -> r.statusCode() == 200);
        String owner = "Bearer " + login.path("token");

        Response registration = given().baseUri(identity.url()).header("Authorization", owner)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "owned-bot", "owner_email", email, "permissions", List.of("crm:contacts:read")))
                .post("/v1/agents");
        registration.then().statusCode(201);
        Agent agent = new Agent(registration.path("agent.id"), registration.path("credentials.api_key"));
        // An owner cannot lend what it does not hold.
        given().baseUri(identity.url()).header("Authorization", owner).contentType(ContentType.JSON)
                .body(Map.of("name", "greedy-bot", "owner_email", email, "permissions", List.of("billing:invoices:read")))
                .post("/v1/agents").then().statusCode(403).body("code", org.hamcrest.Matchers.equalTo("permission_not_held"));

        SignedJWT jwt = SignedJWT.parse(requestToken(agent).then().statusCode(200).extract().<String>path("access_token"));
        assertEquals(1L, jwt.getJWTClaimsSet().getLongClaim("trust_level"));
        assertEquals("ten_default", jwt.getJWTClaimsSet().getStringClaim("tenant_id"));

        given().baseUri(identity.url()).header("Authorization", owner).post("/v1/agents/" + agent.id() + "/suspend")
                .then().statusCode(200);
        long suspendedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> requestToken(agent).statusCode() == 401);
        System.out.printf("suspension refused after %d ms%n", (System.nanoTime() - suspendedAt) / 1_000_000);
        given().baseUri(identity.url()).header("Authorization", owner).post("/v1/agents/" + agent.id() + "/reactivate")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> requestToken(agent).statusCode() == 200);
    }

    @Test
    void webhookDeliveriesDueWhenTheServiceIsKilledAreAllMadeAfterItRestarts() throws Exception {
        String tenant = given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "killed-" + Long.toString(System.nanoTime(), 36))).post("/v1/tenants").then()
                .statusCode(201).extract().path("id");
        String adminOfTenant = "Bearer " + ADMIN_TOKEN;
        String endpoint = given().baseUri(webhook.url()).header("Authorization", adminOfTenant)
                .header("Mandate-Tenant", tenant).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/flaky",
                        "events", List.of("agent.registered")))
                .post("/v1/webhooks").then().statusCode(201).extract().path("id");
        // Ten agents registered in that tenant: ten agent.registered events, every first attempt refused.
        for (int i = 0; i < 10; i++) {
            given().baseUri(identity.url()).header("Authorization", ADMIN).header("Mandate-Tenant", tenant)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "flaky-" + i, "owner_email", "o@example.com", "permissions", List.of("a:b:c")))
                    .post("/v1/agents").then().statusCode(201);
        }
        await().atMost(EVENT_TIMEOUT).until(() -> given().baseUri(webhook.url()).header("Authorization", adminOfTenant)
                .header("Mandate-Tenant", tenant).get("/v1/webhooks/" + endpoint + "/messages?status=pending")
                .then().extract().<List<?>>path("items").size() == 10);
        webhook.kill();
        // Five more while webhook-service is down: they wait in Kafka.
        for (int i = 0; i < 5; i++) {
            given().baseUri(identity.url()).header("Authorization", ADMIN).header("Mandate-Tenant", tenant)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "late-" + i, "owner_email", "o@example.com", "permissions", List.of("a:b:c")))
                    .post("/v1/agents").then().statusCode(201);
        }
        flakyAccepts.set(true);
        webhook.start();
        webhook.awaitReady(READY_TIMEOUT);
        await().atMost(Duration.ofSeconds(60)).until(() -> flakyDelivered.size() >= 15);
        given().baseUri(webhook.url()).header("Authorization", adminOfTenant).header("Mandate-Tenant", tenant)
                .get("/v1/webhooks/" + endpoint + "/messages?status=delivered").then()
                .body("items.size()", org.hamcrest.Matchers.equalTo(15));
        assertEquals(15, flakyDelivered.size(), "each message delivered once accepted, none lost");
    }

    /**
     * An OAuth client nobody here wrote (the Nimbus OAuth 2.0 SDK) works from the discovery document
     * alone: client_secret_basic, private_key_jwt with a key registered through identity-service, a
     * DPoP-bound token, each verified by a stock JOSE processor through the published JWKS.
     */
    @Test
    void anExternalOAuthClientWorksFromTheDiscoveryDocument() throws Exception {
        Agent agent = register("external-client");
        com.nimbusds.jose.jwk.ECKey clientKey = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                com.nimbusds.jose.jwk.Curve.P_256).keyIDFromThumbprint(true).generate();
        given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("jwk", clientKey.toPublicJWK().toJSONObject()))
                .post("/v1/agents/" + agent.id() + "/credentials/public-keys").then().statusCode(201);

        var metadata = com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata.resolve(
                new com.nimbusds.oauth2.sdk.id.Issuer(token.url()));
        var tokenEndpoint = metadata.getTokenEndpointURI();
        var clientId = new com.nimbusds.oauth2.sdk.id.ClientID(agent.id());
        var processor = new com.nimbusds.jwt.proc.DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext>();
        processor.setJWSTypeVerifier(new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(
                new com.nimbusds.jose.JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(
                com.nimbusds.jose.JWSAlgorithm.ES256, com.nimbusds.jose.jwk.source.JWKSourceBuilder
                        .create(metadata.getJWKSetURI().toURL()).build()));
        processor.setJWTClaimsSetVerifier(new com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier<>(
                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(metadata.getIssuer().getValue())
                        .subject(agent.id()).build(), Set.of("exp", "iat", "jti", "client_id", "scope")));

        var scope = new com.nimbusds.oauth2.sdk.Scope("crm:contacts:read");
        var grant = new com.nimbusds.oauth2.sdk.ClientCredentialsGrant();
        List<com.nimbusds.oauth2.sdk.auth.ClientAuthentication> methods = List.of(
                new com.nimbusds.oauth2.sdk.auth.ClientSecretBasic(clientId, new com.nimbusds.oauth2.sdk.auth.Secret(agent.apiKey())),
                new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(clientId, tokenEndpoint, com.nimbusds.jose.JWSAlgorithm.ES256,
                        clientKey.toECPrivateKey(), clientKey.getKeyID(), null));
        for (var method : methods) {
            var http = new com.nimbusds.oauth2.sdk.TokenRequest(tokenEndpoint, method, grant, scope).toHTTPRequest();
            var response = com.nimbusds.oauth2.sdk.TokenResponse.parse(http.send());
            assertTrue(response.indicatesSuccess(), method.getMethod() + ": " + (response.indicatesSuccess() ? ""
                    : response.toErrorResponse().getErrorObject().toJSONObject()));
            var accessToken = response.toSuccessResponse().getTokens().getAccessToken();
            var claims = processor.process(accessToken.getValue(), null);
            assertEquals("crm:contacts:read", claims.getStringClaim("scope"), method.getMethod().getValue());
        }

        var dpopKey = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate();
        var proofs = new com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory(dpopKey, com.nimbusds.jose.JWSAlgorithm.ES256);
        var http = new com.nimbusds.oauth2.sdk.TokenRequest(tokenEndpoint, methods.get(0), grant, scope).toHTTPRequest();
        http.setDPoP(proofs.createDPoPJWT("POST", tokenEndpoint));
        var response = com.nimbusds.oauth2.sdk.TokenResponse.parse(http.send()).toSuccessResponse();
        var accessToken = response.getTokens().getAccessToken();
        assertEquals(com.nimbusds.oauth2.sdk.token.AccessTokenType.DPOP, accessToken.getType());
        var cnf = processor.process(accessToken.getValue(), null).getJSONObjectClaim("cnf");
        assertEquals(dpopKey.computeThumbprint().toString(), cnf.get("jkt"));

        // Across a key rotation: the same processor (its JWK set cached) verifies the tokens of both keys.
        var basic = methods.get(0);
        java.util.function.Supplier<String> newToken = () -> {
            try {
                return com.nimbusds.oauth2.sdk.TokenResponse.parse(new com.nimbusds.oauth2.sdk.TokenRequest(tokenEndpoint,
                        basic, grant, scope).toHTTPRequest().send()).toSuccessResponse().getTokens().getAccessToken().getValue();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        String before = newToken.get();
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
        String newKid = given().baseUri(token.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("algorithm", "ES256")).post("/v1/signing-keys/rotate").then().statusCode(200)
                .extract().path("kid");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String after = newToken.get();
            processor.process(after, null);
            return newKid.equals(SignedJWT.parse(after).getHeader().getKeyID());
        });
        assertEquals(agent.id(), processor.process(before, null).getSubject(), "a token of the old key " + oldKid + " still verifies");
    }
}
