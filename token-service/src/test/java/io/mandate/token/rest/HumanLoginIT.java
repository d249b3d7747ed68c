package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.api.TypeIds;
import io.mandate.credentials.Passwords;
import io.mandate.eventing.envelope.Topics;
import io.mandate.testsupport.TopicReader;
import io.mandate.token.IdentityFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HumanLoginIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String HASH = Passwords.hash(PASSWORD);

    private static String human(String username, List<String> roles, String status, long version) {
        String userId = TypeIds.newId("usr");
        String eventId = IdentityFixtures.publishHuman(userId, username, HASH, roles, status, version);
        await().atMost(Duration.ofSeconds(15)).until(() -> IdentityFixtures.processed(eventId));
        return userId;
    }

    private static io.restassured.response.ValidatableResponse login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/v1/auth/login").then();
    }

    private static String unique(String prefix) {
        return prefix + Long.toString(System.nanoTime(), 36);
    }

    @Test
    void aHumanLogsInAndGetsASignedSixHourTokenWithItsRoles() throws Exception {
        String username = unique("dinesh");
        String userId = human(username, List.of("owner", "auditor"), "active", 0);
        try (TopicReader tokenTopic = TopicReader.of(Topics.TOKEN)) {
            String jwt = login(username.toUpperCase(), PASSWORD).statusCode(200)
                    .header("Cache-Control", "no-store")
                    .body("token_type", equalTo("Bearer"))
                    .body("expires_in", equalTo(21600))
                    .body("user.id", equalTo(userId))
                    .body("user.tenant_id", equalTo("ten_test"))
                    .body("user.roles", contains("owner", "auditor"))
                    .extract().path("token");
            SignedJWT token = SignedJWT.parse(jwt);
            String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
            assertTrue(token.verify(new ECDSAVerifier(JWKSet.parse(jwks).getKeyByKeyId(token.getHeader().getKeyID())
                    .toECKey())));
            var claims = token.getJWTClaimsSet();
            assertEquals(userId, claims.getSubject());
            assertEquals("http://token.test", claims.getIssuer());
            assertEquals("ten_test", claims.getStringClaim("tenant_id"));
            assertEquals(List.of("owner", "auditor"), claims.getStringListClaim("roles"));
            long lifetime = claims.getExpirationTime().toInstant().getEpochSecond() - Instant.now().getEpochSecond();
            assertTrue(lifetime > 21500 && lifetime <= 21600, "6 h: " + lifetime);

            JsonNode loggedIn = tokenTopic.awaitEvent(TopicReader.typeAndSubject("human.logged_in", userId),
                    Duration.ofSeconds(15));
            assertEquals(claims.getJWTID(), loggedIn.path("data").path("jti").asText());
            assertFalse(loggedIn.toString().contains(PASSWORD) || loggedIn.toString().contains("pbkdf2"));
        }
    }

    @Test
    void everyRefusalLooksTheSame() {
        String username = unique("jared");
        human(username, List.of("owner"), "active", 0);
        String wrong = login(username, "wrong password!").statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("invalid_credentials"))
                .extract().path("detail");
        String unknown = login(unique("nobody"), PASSWORD).statusCode(401).body("code", equalTo("invalid_credentials"))
                .extract().path("detail");
        assertEquals(wrong, unknown);
    }

    /** A login sent from {@code localAddress} (another client address on the loopback network); its status. */
    private static int loginFrom(String localAddress, String username, String password) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port));
            byte[] body = ("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void failuresFromOneAddressSlowThatAddressDownForThatUsernameButLockNobodyOut() throws Exception {
        String username = unique("bighead");
        human(username, List.of("owner"), "active", 0);
        for (int i = 0; i < 5; i++) {
            login(username, "guess number " + i).statusCode(401);
        }
        // The next attempt from here waits, even with the right password; it is told how long.
        login(username, PASSWORD).statusCode(429).body("code", equalTo("too_many_attempts"))
                .header("Retry-After", notNullValue());
        // The account's owner, elsewhere, is not locked out.
        assertEquals(200, loginFrom("127.0.0.2", username, PASSWORD));
        // Nor is another account from here.
        String other = unique("laurie");
        human(other, List.of("owner"), "active", 0);
        login(other, PASSWORD).statusCode(200);
        // Here, after the wait, the right password works again.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> login(username, PASSWORD).extract().statusCode() == 200);
    }

    @Test
    void concurrentGuessesAreCountedOneAfterTheOther() throws Exception {
        String username = unique("erlich");
        human(username, List.of("owner"), "active", 0);
        List<java.util.concurrent.Callable<Integer>> guesses = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String password = i == 19 ? PASSWORD : "wrong password " + i;
            guesses.add(() -> login(username, password).extract().statusCode());
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var answer : pool.invokeAll(guesses)) {
                statuses.add(answer.get());
            }
            long checked = statuses.stream().filter(status -> status != 429).count();
            assertTrue(checked <= 5, "at most five passwords were checked: " + statuses);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aDisabledAccountCannotLogInAndAnOlderVerifierDoesNotReviveIt() {
        String username = unique("gilfoyle");
        String userId = human(username, List.of("owner"), "active", 0);
        login(username, PASSWORD).statusCode(200);
        String disabled = IdentityFixtures.publishHuman(userId, username, HASH, List.of("owner"), "disabled", 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> IdentityFixtures.processed(disabled));
        login(username, PASSWORD).statusCode(401);
        String stale = IdentityFixtures.publishHuman(userId, username, HASH, List.of("owner"), "active", 0);
        await().atMost(Duration.ofSeconds(15)).until(() -> IdentityFixtures.processed(stale));
        login(username, PASSWORD).statusCode(401);
    }

    @Test
    void badLoginInputIsA400WithTheFieldNamed() {
        given().contentType(ContentType.JSON).body(Map.of("username", "x")).post("/v1/auth/login").then()
                .statusCode(400).body("errors[0].field", equalTo("password"));
        given().contentType(ContentType.JSON).body(Map.of("username", "x", "password", "y", "otp", "1"))
                .post("/v1/auth/login").then().statusCode(400).body("code", equalTo("unknown_field"));
        given().contentType(ContentType.JSON).body("{").post("/v1/auth/login").then().statusCode(400)
                .body("code", equalTo("invalid_json"));
    }

    @Test
    void signingOutEndsEveryTokenOfTheHumanAtEveryService() {
        String username = unique("monica");
        String userId = human(username, List.of("owner"), "active", 0);
        String jwt = login(username, PASSWORD).statusCode(200).extract().path("token");
        try (TopicReader tokenTopic = TopicReader.of(Topics.TOKEN)) {
            Instant before = Instant.now();
            given().header("Authorization", "Bearer " + jwt).post("/v1/auth/logout").then().statusCode(204);
            JsonNode revoked = tokenTopic.awaitEvent(TopicReader.typeAndSubject("token.revoked", userId),
                    Duration.ofSeconds(15));
            assertEquals(userId, revoked.path("data").path("user_id").asText());
            assertEquals("ten_test", revoked.path("data").path("tenant_id").asText());
            assertFalse(Instant.parse(revoked.path("data").path("issued_before").asText()).isBefore(before.minusSeconds(1)));
        }
        // Only a human's own valid token signs out.
        given().post("/v1/auth/logout").then().statusCode(401);
        given().header("Authorization", "Bearer " + jwt.substring(0, jwt.length() - 4) + "AAAA").post("/v1/auth/logout")
                .then().statusCode(401);
        String agentToken = IntrospectionIT.token(IdentityFixtures.registerAgent(List.of("crm:contacts:read")));
        given().header("Authorization", "Bearer " + agentToken).post("/v1/auth/logout").then().statusCode(401);
    }
}
