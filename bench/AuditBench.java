import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The audit-service benchmark's two halves (bench/audit.sh drives them):
 *
 *   produce EVENTS TENANTS AGENTS   publishes EVENTS CloudEvents to mandate.token as fast as Kafka takes
 *                                   them: agent.verified / agent.verification_failed / token.refreshed,
 *                                   spread over TENANTS tenants (ten_auditbench_0..) and AGENTS agents
 *                                   per tenant (agt_auditbench_<tenant>_<n>)
 *   query ADMIN_TOKEN TENANTS AGENTS ROUNDS
 *                                   GET /v1/audit/events with the common filters, ROUNDS times each,
 *                                   and prints p50/p99/max per filter
 */
public class AuditBench {

    private static final String[] TYPES = {"agent.verified", "agent.verified", "agent.verified",
            "agent.verification_failed", "token.refreshed"};

    public static void main(String[] args) throws Exception {
        if (args[0].equals("produce")) {
            produce(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else {
            query(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        }
    }

    static String tenant(int t) {
        return "ten_auditbench_" + t;
    }

    static String agent(int t, int a) {
        return "agt_auditbench_" + t + "_" + a;
    }

    static void produce(int events, int tenants, int agents) {
        Properties props = new Properties();
        props.put("bootstrap.servers", System.getenv().getOrDefault("MANDATE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"));
        // As the broker's administrator: stands in for token-service, which alone may write mandate.token.
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
                + " password=\"" + System.getenv("MANDATE_KAFKA_ADMIN_PASSWORD") + "\";");
        props.put("acks", "all");
        props.put("linger.ms", "5");
        props.put("batch.size", "262144");
        props.put("compression.type", "none");
        Random random = new Random(42);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < events; i++) {
                int t = random.nextInt(tenants);
                String agent = agent(t, random.nextInt(agents));
                String type = TYPES[random.nextInt(TYPES.length)];
                String data = type.equals("agent.verification_failed")
                        ? "{\"tenant_id\":\"%s\",\"agent_id\":\"%s\",\"grant_type\":\"client_credentials\",\"reason\":\"secret_mismatch\",\"ip\":\"10.0.0.%d\"}"
                                .formatted(tenant(t), agent, i % 250)
                        : "{\"tenant_id\":\"%s\",\"agent_id\":\"%s\",\"grant_type\":\"client_credentials\",\"jti\":\"%s\",\"scopes\":[\"crm:contacts:read\"],\"ip\":\"10.0.0.%d\"}"
                                .formatted(tenant(t), agent, UUID.randomUUID(), i % 250);
                String event = """
                        {"specversion":"1.0","id":"%s","source":"/mandate/token-service","type":"%s","subject":"%s","time":"%s",\
                        "tenantid":"%s","partitionkey":"%s","authtype":"agent","authid":"%s","datacontenttype":"application/json","data":%s}"""
                        .formatted(UUID.randomUUID(), type, agent, Instant.now(), tenant(t), agent, agent, data);
                producer.send(new ProducerRecord<>("mandate.token", agent, event));
            }
            producer.flush();
        }
    }

    static void query(String adminToken, int tenants, int agents, int rounds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Random random = new Random(7);
        Instant now = Instant.now();
        String[] names = {"agent", "agent + last hour", "agent + last 10 min, oldest first", "type + last hour",
                "actor", "outcome failure", "no filter (newest 50)"};
        for (String name : names) {
            List<Long> micros = new ArrayList<>();
            int rows = 0;
            for (int round = 0; round < rounds + rounds / 10; round++) {
                int t = random.nextInt(tenants);
                String agent = agent(t, random.nextInt(agents));
                String query = switch (name) {
                    case "agent" -> "agent_id=" + agent;
                    case "agent + last hour" -> "agent_id=" + agent + "&from=" + now.minusSeconds(3600) + "&to=" + now.plusSeconds(60);
                    case "agent + last 10 min, oldest first" -> "agent_id=" + agent + "&from=" + now.minusSeconds(600)
                            + "&order=asc";
                    case "type + last hour" -> "type=agent.verification_failed&from=" + now.minusSeconds(3600);
                    case "actor" -> "actor_id=" + agent;
                    case "outcome failure" -> "outcome=failure";
                    default -> "";
                };
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8083/v1/audit/events?limit=50&"
                        + query.replace("+", URLEncoder.encode("+", StandardCharsets.UTF_8))))
                        .header("Authorization", "Bearer " + adminToken).header("Mandate-Tenant", tenant(t)).GET().build();
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long took = (System.nanoTime() - start) / 1000;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(name + ": " + response.statusCode() + " " + response.body());
                }
                if (round >= rounds / 10) { // the first tenth warms up
                    micros.add(took);
                    rows += response.body().split("\"recorded_at\"", -1).length - 1;
                }
            }
            Collections.sort(micros);
            System.out.printf("query %-36s p50=%6.1fms p99=%6.1fms max=%6.1fms rows/query=%.1f (%d queries)%n", name,
                    micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() * 99 / 100) / 1000.0,
                    micros.get(micros.size() - 1) / 1000.0, rows / (double) micros.size(), micros.size());
        }
    }
}
