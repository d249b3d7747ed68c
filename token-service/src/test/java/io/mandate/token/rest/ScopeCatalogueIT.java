package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.mandate.api.TypeIds;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tenant's catalogue at the token endpoint: which scopes exist there, and what each implies. A change
 * counts for the next token, also on the path that serves known clients from memory.
 */
@QuarkusTest
class ScopeCatalogueIT {

    private static ValidatableResponse token(TestAgent agent, String scope) {
        return given().auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&scope=" + scope.replace(" ", "%20"))
                .post("/oauth2/token").then();
    }

    @Test
    void aScopeHeldThroughAnImplicationIsGrantedUntilTheImplicationIsRemoved() {
        String tenant = "ten_" + TypeIds.randomToken(8);
        IdentityFixtures.publishPermission(tenant, "permission.added", "files:read", "Read your files");
        IdentityFixtures.publishPermission(tenant, "permission.added", "files:write", null, "files:read");
        TestAgent agent = IdentityFixtures.registerAgent(List.of("files:write"), tenant, "pro");

        token(agent, "files:read").statusCode(200).body("scope", equalTo("files:read"));
        token(agent, "files:read").statusCode(200); // now from memory: client, key and catalogue
        token(agent, "files:read files:delete").statusCode(400).body("error", equalTo("invalid_scope"))
                .body("error_description", equalTo("unknown scope: files:delete"));

        IdentityFixtures.publishPermission(tenant, "permission.updated", "files:write", null);
        // Applied; this replica's memory hears of it from PostgreSQL within moments.
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> token(agent, "files:read")
                .extract().statusCode() == 400);
        token(agent, "files:read").statusCode(400).body("error", equalTo("invalid_scope"))
                .body("error_description", equalTo("not held: files:read"));
        token(agent, "files:write").statusCode(200).body("scope", equalTo("files:write"));
    }

    @Test
    void theSeedsScopesWorkAsTheyAreWritten() {
        String tenant = "ten_" + TypeIds.randomToken(8);
        IdentityFixtures.publishPermission(tenant, "permission.added", "basic", null);
        IdentityFixtures.publishPermission(tenant, "permission.added", "premium", null, "basic");
        IdentityFixtures.publishPermission(tenant, "permission.added", "admin", null, "*");
        IdentityFixtures.publishPermission(tenant, "permission.added", "read:reports", null);
        TestAgent admin = IdentityFixtures.registerAgent(List.of("admin"), tenant, "pro");
        TestAgent premium = IdentityFixtures.registerAgent(List.of("premium"), tenant, "pro");

        token(admin, "basic premium read:reports").statusCode(200).body("scope", equalTo("basic premium read:reports"));
        token(premium, "basic").statusCode(200).body("scope", equalTo("basic"));
        token(premium, "admin").statusCode(400).body("error_description", equalTo("not held: admin"));
        // Without a catalogue, any scope token is a scope, exactly as held.
        TestAgent proxyme = IdentityFixtures.registerAgent(List.of("read", "write"), "ten_" + TypeIds.randomToken(8), "pro");
        token(proxyme, "read").statusCode(200).body("scope", equalTo("read"));
        token(proxyme, "Read").statusCode(400).body("error_description", equalTo("not held: Read"));
    }

    @Test
    void aRemovedEntryNoLongerExistsForTheNextToken() {
        String tenant = "ten_" + TypeIds.randomToken(8);
        IdentityFixtures.publishPermission(tenant, "permission.added", "read:reports", null);
        IdentityFixtures.publishPermission(tenant, "permission.added", "write:reports", null);
        TestAgent agent = IdentityFixtures.registerAgent(List.of("read:reports", "write:reports"), tenant, "pro");
        token(agent, "write:reports").statusCode(200);
        IdentityFixtures.publishPermission(tenant, "permission.removed", "write:reports", null);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> token(agent, "write:reports")
                .extract().statusCode() == 400);
        token(agent, "write:reports").body("error_description", equalTo("unknown scope: write:reports"));
    }
}
