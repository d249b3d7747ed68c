package io.mandate.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mandate.identity.TestKeys;
import io.mandate.testsupport.TestIssuers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.junit.jupiter.api.Test;

/**
 * A POST that creates something, sent again with the same {@code Idempotency-Key} (a client retrying
 * after a timeout), creates it once: the repeat answers 200 with {@code Idempotent-Replayed: true}
 * and what the first call made, secrets left out; the same key with another request is a 422.
 */
@QuarkusTest
@QuarkusTestResource(TestIssuers.class)
class IdempotentCreationIT {

    private static final String ADMIN = "Bearer test-admin-token";

    private static String register() {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "retrying-bot", "owner_email", "owner@example.com", "permissions",
                        List.of("crm:contacts:read")))
                .post("/v1/agents").then().statusCode(201).extract().path("agent.id");
    }

    /**
     * Tenant of the permission tests: a catalogue with entries limits what every agent of its tenant may
     * hold, so they keep theirs away from the default tenant the other tests register agents in.
     */
    private static String catalogueTenant;

    private static synchronized String catalogueTenant() {
        if (catalogueTenant == null) {
            catalogueTenant = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("name", "idempotent-" + UUID.randomUUID())).post("/v1/tenants").then().statusCode(201)
                    .extract().path("id");
        }
        return catalogueTenant;
    }

    private static ExtractableResponse<Response> post(String path, String key, Object body) {
        var request = given().header("Authorization", ADMIN).header("Idempotency-Key", key);
        if (path.startsWith("/v1/permissions")) {
            request = request.header("Mandate-Tenant", catalogueTenant());
        }
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post(path).then().extract();
    }

    /** Sends the request twice under one key: 201 then 200 replayed, the same {@code idField}; returns the first. */
    private static ExtractableResponse<Response> twice(String path, Object body, String idField) {
        String key = UUID.randomUUID().toString();
        ExtractableResponse<Response> first = post(path, key, body);
        assertEquals(201, first.statusCode(), first.asString());
        ExtractableResponse<Response> again = post(path, key, body);
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.<Object>path(idField), again.<Object>path(idField));
        return first;
    }

    private static int credentialCount(String agentId) {
        return given().header("Authorization", ADMIN).get("/v1/agents/" + agentId + "/credentials").then()
                .statusCode(200).extract().path("items.size()");
    }

    @Test
    void anApiKeyIsIssuedOnceAndItsValueShownOnce() {
        String agentId = register();
        int before = credentialCount(agentId);
        String path = "/v1/agents/" + agentId + "/credentials/api-keys";
        String key = UUID.randomUUID().toString();
        ExtractableResponse<Response> first = post(path, key, null);
        assertEquals(201, first.statusCode());
        ExtractableResponse<Response> again = post(path, key, null);
        assertEquals(200, again.statusCode());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.<String>path("credential.id"), again.path("credential.id"));
        assertNull(again.path("api_key"), "the key's value is shown once");
        assertEquals(before + 1, credentialCount(agentId));
    }

    @Test
    void publicAndPgpKeysAreRegisteredOnce() {
        String agentId = register();
        int before = credentialCount(agentId);
        twice("/v1/agents/" + agentId + "/credentials/public-keys",
                Map.of("jwk", TestKeys.ed25519Jwk(TestKeys.generate("Ed25519", 0))), "id");
        twice("/v1/agents/" + agentId + "/credentials/pgp-keys", Map.of("public_key",
                TestKeys.armored(PublicKeyAlgorithmTags.EDDSA_LEGACY, TestKeys.generate("Ed25519", 0))), "id");
        assertEquals(before + 2, credentialCount(agentId), "without the key the repeats would be 409s, with it no copies");
    }

    @Test
    void aPermissionIsAddedOnce() {
        String permission = "crm:retries" + UUID.randomUUID().toString().substring(0, 8) + ":read";
        twice("/v1/permissions", Map.of("permission", permission, "description", "read retries"), "permission");
        given().header("Authorization", ADMIN).header("Mandate-Tenant", catalogueTenant()).get("/v1/permissions").then()
                .statusCode(200)
                .body("items.findAll { it.permission == '" + permission + "' }.size()", equalTo(1));
    }

    @Test
    void aKeyChallengeIsMadeOnceAndTheRepeatCarriesTheSameValue() {
        String agentId = register();
        ExtractableResponse<Response> first = twice("/v1/agents/" + agentId + "/key-challenges", null, "id");
        given().header("Authorization", ADMIN).header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/v1/agents/" + agentId + "/key-challenges").then().statusCode(201)
                .body("id", org.hamcrest.Matchers.not(equalTo(first.path("id"))));
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefusedAndNothingIsMade() {
        String agentId = register();
        String key = UUID.randomUUID().toString();
        assertEquals(201, post("/v1/agents/" + agentId + "/credentials/pgp-keys", key, Map.of("public_key",
                TestKeys.armored(PublicKeyAlgorithmTags.EDDSA_LEGACY, TestKeys.generate("Ed25519", 0)))).statusCode());
        int after = credentialCount(agentId);
        ExtractableResponse<Response> reused = post("/v1/agents/" + agentId + "/credentials/public-keys", key,
                Map.of("jwk", TestKeys.ed25519Jwk(TestKeys.generate("Ed25519", 0))));
        assertEquals(422, reused.statusCode(), reused.asString());
        assertEquals("idempotency_key_reused", reused.path("code"));
        given().header("Authorization", ADMIN).header("Idempotency-Key", "x".repeat(256))
                .post("/v1/agents/" + agentId + "/credentials/api-keys").then().statusCode(400)
                .body("code", equalTo("idempotency_key_invalid")).body("api_key", nullValue());
        assertEquals(after, credentialCount(agentId));
    }
}
