package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.register;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.e2e.Platform.Agent;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two token-service replicas (one database, one consumer group, each consuming part of the
 * partitions): a revocation reaches every replica within a second, whichever replica consumed it.
 */
class TokenReplicasIT {

    static ServiceProcess second;

    @BeforeAll
    static void twoReplicas() throws Exception {
        Platform.start();
        second = Platform.replica("token-service", 18090);
        // A replica joining makes the group rebalance; consumption of moving partitions pauses until it
        // settles (seconds), and the new replica's code is cold. Wait for both with throwaway revocations
        // (agents on every partition, so both replicas apply some), then measure the steady state.
        List<Agent> throwaways = java.util.stream.IntStream.range(0, 6).mapToObj(i -> register("replica-warm-up")).toList();
        long start = System.nanoTime();
        for (Agent throwaway : throwaways) {
            given().baseUri(identity.url()).header("Authorization", ADMIN).post("/v1/agents/" + throwaway.id() + "/revoke")
                    .then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> throwaways.stream()
                .allMatch(a -> List.of(token, second).stream().allMatch(r -> tokenFrom(r, a).statusCode() == 401)));
        System.out.printf("first revocations after the replica joined: refused by both after %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
    }

    private static Response tokenFrom(ServiceProcess replica, Agent agent) {
        return given().baseUri(replica.url()).auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token");
    }

    private static boolean active(ServiceProcess replica, Agent caller, String accessToken) {
        return given().baseUri(replica.url()).auth().preemptive().basic(caller.id(), caller.apiKey())
                .contentType("application/x-www-form-urlencoded").formParam("token", accessToken)
                .post("/oauth2/introspect").then().statusCode(200).extract().<Boolean>path("active");
    }

    @Test
    void everyReplicaRefusesARevokedTokenAndARevokedAgentWithinASecond() {
        List<ServiceProcess> replicas = List.of(token, second);
        Agent agent = register("replica-bot");
        Agent resourceServer = register("replica-resource-server");
        String first = tokenFrom(token, agent).then().statusCode(200).extract().path("access_token");
        String other = tokenFrom(second, agent).then().statusCode(200).extract().path("access_token");
        for (ServiceProcess replica : replicas) {
            assertTrue(active(replica, resourceServer, first));
            assertTrue(active(replica, resourceServer, other));
        }

        // RFC 7009 at one replica: the other answers inactive at once.
        given().baseUri(token.url()).auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").formParam("token", first)
                .post("/oauth2/revoke").then().statusCode(200);
        assertFalse(active(second, resourceServer, first));
        assertTrue(active(second, resourceServer, other));

        // identity-service revokes agents: one replica's consumer applies each event; both refuse.
        for (Agent revoked : List.of(agent, register("replica-bot-2"), register("replica-bot-3"))) {
            String accessToken = revoked == agent ? other : tokenFrom(second, revoked).then().statusCode(200)
                    .extract().path("access_token");
            given().baseUri(identity.url()).header("Authorization", ADMIN).post("/v1/agents/" + revoked.id() + "/revoke")
                    .then().statusCode(200);
            long revokedAt = System.nanoTime();
            // Polled with introspection alone: a token request that still succeeds waits for Kafka to
            // acknowledge its agent.verified, which would make each poll slow, not the revocation.
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> replicas.stream().noneMatch(r -> active(r, resourceServer, accessToken)));
            System.out.printf("both replicas answer inactive %d ms after the revocation%n",
                    (System.nanoTime() - revokedAt) / 1_000_000);
            for (ServiceProcess replica : replicas) {
                tokenFrom(replica, revoked).then().statusCode(401);
            }
        }
    }
}
