package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.audit;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.register;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.e2e.Platform.Agent;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Under a steady token load on two token-service replicas: the Kafka broker restarts, then PostgreSQL,
 * then one replica is SIGKILLed. Afterwards every token handed out has its {@code agent.verified} in the
 * audit trail exactly once, a revocation made while the broker was down took effect, and every service
 * is ready again without having been restarted. Prints what each fault cost (tokens refused, time until
 * tokens flowed again).
 */
class ChaosIT {

    private static final int LOAD_THREADS = 4;
    private static final int SECONDS_DOWN = 5;
    private static final Duration REQUEST_EVERY = Duration.ofMillis(1_050);

    static ServiceProcess second;

    private final Map<String, String> issued = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    private final AtomicLong lastIssuedAt = new AtomicLong();
    private volatile String phase = "steady";

    @BeforeAll
    static void twoReplicas() throws Exception {
        Platform.start();
        second = Platform.replica("token-service", 18091);
    }

    private static Response tokenFrom(ServiceProcess replica, Agent agent) {
        return given().baseUri(replica.url()).auth().preemptive().basic(agent.id(), agent.apiKey())
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oauth2/token");
    }

    private static String jti(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return JsonPath.from(payload).getString("jti");
    }

    /** One request of the load: a token for {@code agent} from replica {@code turn} mod 2. */
    private void request(Agent agent, int turn) {
        try {
            Response response = tokenFrom(List.of(token, second).get(turn % 2), agent);
            if (response.statusCode() == 200) {
                issued.put(jti(response.path("access_token")), agent.id());
                lastIssuedAt.set(System.nanoTime());
                return;
            }
        } catch (Exception connectionRefused) {
            // The replica is gone or restarting: a refusal like any other. (RestAssured throws the checked
            // ConnectException undeclared: catching only RuntimeException ended the load at the kill.)
        }
        refused.computeIfAbsent(phase, p -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Lets the load hand out {@code more} tokens beyond what it has.
     */
    private void loadIssues(int more) {
        int target = issued.size() + more;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> issued.size() >= target);
    }

    private int refusedIn(String phase) {
        AtomicInteger count = refused.get(phase);
        return count == null ? 0 : count.get();
    }

    /** {@code deploy/local/mandate infra-restart <what> --test <seconds>}, started now. */
    private static Process restart(String what) throws Exception {
        Path script = Path.of(System.getProperty("mandate.root", ".."), "deploy", "local", "mandate");
        return new ProcessBuilder(script.toString(), "infra-restart", what, "--test", Integer.toString(SECONDS_DOWN))
                .redirectErrorStream(true).redirectOutput(Path.of("target", "logs", "infra-restart.log").toFile())
                .start();
    }

    /** How long after {@code since} tokens were handed out again (ms), waiting for it. */
    private long recoveredAfter(long since) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> lastIssuedAt.get() > since);
        return (lastIssuedAt.get() - since) / 1_000_000;
    }

    /** The {@code jti} of every {@code agent.verified} of {@code agentId} in the audit trail, with repeats. */
    private static List<String> auditedJtis(String agentId) {
        List<String> jtis = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().baseUri(audit.url()).header("Authorization", ADMIN).queryParam("agent_id", agentId)
                    .queryParam("type", "agent.verified").queryParam("limit", 500);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/audit/events").then().statusCode(200).extract().jsonPath();
            jtis.addAll(page.getList("items.data.jti", String.class));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        return jtis;
    }

    @Test
    void tokensRideThroughABrokerRestartADatabaseRestartAndAKilledReplicaWithNothingLost() throws Exception {
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < LOAD_THREADS; i++) {
            agents.add(register("chaos-load-" + i));
        }
        Agent revokedMeanwhile = register("chaos-revoked");
        tokenFrom(token, revokedMeanwhile).then().statusCode(200);
        // Each agent asks about once a second (the free tier allows 60 tokens a minute), replicas in turn.
        ScheduledExecutorService load = Executors.newScheduledThreadPool(LOAD_THREADS);
        AtomicInteger turn = new AtomicInteger();
        agents.forEach(agent -> load.scheduleWithFixedDelay(() -> request(agent, turn.getAndIncrement()), 0,
                REQUEST_EVERY.toMillis(), TimeUnit.MILLISECONDS));
        Map<String, Long> recovery = new LinkedHashMap<>();
        try {
            loadIssues(10);

            phase = "kafka restart";
            long start = System.nanoTime();
            Process kafka = restart("kafka");
            // The broker is down once tokens are refused (their agent.verified cannot be acknowledged).
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> refusedIn("kafka restart") > 0);
            // identity-service commits the revocation; its outbox holds the event until the broker is back.
            given().baseUri(identity.url()).header("Authorization", ADMIN)
                    .post("/v1/agents/" + revokedMeanwhile.id() + "/revoke").then().statusCode(200);
            assertEquals(0, kafka.waitFor(), "the broker restarted (target/logs/infra-restart.log)");
            recovery.put(phase + ", after the broker was back", recoveredAfter(System.nanoTime()));
            recovery.put(phase + ", from the stop", (System.nanoTime() - start) / 1_000_000);

            phase = "postgres restart";
            start = System.nanoTime();
            Process postgres = restart("postgres");
            assertEquals(0, postgres.waitFor(), "PostgreSQL restarted (target/logs/infra-restart.log)");
            recovery.put(phase + ", after the database was back", recoveredAfter(System.nanoTime()));
            recovery.put(phase + ", from the stop", (System.nanoTime() - start) / 1_000_000);

            phase = "replica SIGKILL";
            start = System.nanoTime();
            second.kill();
            recovery.put(phase + ", from the kill", recoveredAfter(start));
            loadIssues(5);
        } finally {
            load.shutdown();
            load.awaitTermination(60, TimeUnit.SECONDS);
        }

        // The revocation made while the broker was down reached token-service.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> tokenFrom(token, revokedMeanwhile).statusCode() == 401);
        // Every service is ready again, none restarted (the killed replica stays down).
        for (ServiceProcess service : List.of(token, identity, Platform.delegation, audit, Platform.webhook)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    given().baseUri(service.url()).get("/q/health/ready").statusCode() == 200);
        }
        // Every token handed out is in the trail exactly once.
        Map<String, Integer> times = new HashMap<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            times.clear();
            for (Agent agent : agents) {
                auditedJtis(agent.id()).forEach(jti -> times.merge(jti, 1, Integer::sum));
            }
            return times.keySet().containsAll(issued.keySet());
        });
        List<String> repeated = times.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), repeated, "agent.verified recorded more than once");
        assertTrue(issued.size() > 20, "the load issued " + issued.size() + " tokens");

        System.out.printf("chaos: %d tokens issued and audited once each; refused per fault %s; "
                + "tokens flowing again after (ms) %s%n", issued.size(), refused, recovery);
    }
}
