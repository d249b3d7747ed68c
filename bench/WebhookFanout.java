import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Webhook fan-out against the local stack (run by bench/webhook-fanout.sh): a local receiver that
 * answers 204 at once, N endpoints on it in a tenant of its own, and agent.verified events published
 * straight to Kafka as token-service would. Phase 1 (throughput): a burst of M events, deliveries/s
 * from the first publish to the last receipt. Phase 2 (latency): a steady rate well under capacity;
 * publish-to-receipt latency of first attempts, p50/p99.
 *
 *   java -cp '.mandate/kafka-libs/*' bench/WebhookFanout.java ADMIN_TOKEN [endpoints] [burst events] [rate/s] [seconds]
 */
public class WebhookFanout {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final AtomicInteger deliveries = new AtomicInteger();
    static final Set<String> messageIds = ConcurrentHashMap.newKeySet();
    /** Deliveries of a webhook-id already received (at-least-once: a retry after an unrecorded attempt). */
    static final AtomicInteger repeats = new AtomicInteger();
    static final List<Long> latenciesMs = new CopyOnWriteArrayList<>();
    static volatile long lastReceiptNanos;

    public static void main(String[] args) throws Exception {
        String admin = args[0];
        int endpoints = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int burst = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        String tenant = "ten_bench" + Long.toString(System.nanoTime(), 36);

        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        ExecutorService receiverThreads = Executors.newFixedThreadPool(16);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            Matcher timestamp = TIMESTAMP.matcher(body);
            boolean first = messageIds.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            if (!first) {
                repeats.incrementAndGet();
            } else if (timestamp.find()) {
                latenciesMs.add(now - Instant.parse(timestamp.group(1)).toEpochMilli());
            }
            deliveries.incrementAndGet();
            lastReceiptNanos = System.nanoTime();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            String created = call("POST", "/v1/webhooks", admin, tenant, "{\"url\":\"http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook\",\"events\":[\"agent.verified\"]}");
            Matcher id = Pattern.compile("\"id\":\"(whk_[a-z0-9]+)\"").matcher(created);
            if (!id.find()) {
                throw new IllegalStateException("endpoint not created: " + created);
            }
            ids.add(id.group(1));
        }

        Properties props = new Properties();
        props.put("bootstrap.servers", System.getenv().getOrDefault("MANDATE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"));
        // As the broker's administrator: stands in for token-service, which alone may write mandate.token.
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
                + " password=\"" + System.getenv("MANDATE_KAFKA_ADMIN_PASSWORD") + "\";");
        props.put("acks", "all");
        props.put("linger.ms", "2");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            // Warm-up: JIT (a freshly started service compiles on one core for tens of seconds),
            // connection pools, consumer assignment.
            publish(producer, tenant, 1000);
            awaitDeliveries(1000 * endpoints, Duration.ofSeconds(120));
            reset();

            long start = System.nanoTime();
            publish(producer, tenant, burst);
            boolean complete = awaitDeliveries(burst * endpoints, Duration.ofSeconds(180));
            double elapsed = (lastReceiptNanos - start) / 1e9;
            System.out.printf("burst: %d events x %d endpoints = %d deliveries%s in %.2f s -> %.0f deliveries/s"
                    + " (%d repeated webhook-ids)%n", burst, endpoints, deliveries.get(), complete ? "" : " (INCOMPLETE)",
                    elapsed, deliveries.get() / elapsed, repeats.get());
            System.out.printf("burst latency (publish -> receipt, queued behind the burst): p50 %d ms, p99 %d ms%n",
                    percentile(50), percentile(99));
            reset();

            int total = rate * seconds;
            long period = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                publish(producer, tenant, 1);
                next += period;
            }
            complete = awaitDeliveries(total * endpoints, Duration.ofSeconds(120));
            System.out.printf("steady: %d events/s x %d endpoints = %d deliveries/s for %d s%s%n", rate, endpoints,
                    rate * endpoints, seconds, complete ? "" : " (INCOMPLETE)");
            System.out.printf("steady first-attempt latency (publish -> receipt): p50 %d ms, p99 %d ms, max %d ms%n",
                    percentile(50), percentile(99), percentile(100));
        } finally {
            for (String id : ids) {
                call("DELETE", "/v1/webhooks/" + id, admin, tenant, null);
            }
            receiver.stop(0);
            receiverThreads.shutdownNow(); // non-daemon threads: the JVM would never exit
        }
    }

    private static void publish(KafkaProducer<String, String> producer, String tenant, int count) {
        for (int i = 0; i < count; i++) {
            String agent = "agt_bench" + Long.toString(System.nanoTime(), 36);
            String event = """
                    {"specversion":"1.0","id":"%s","source":"/mandate/token-service","type":"agent.verified","subject":"%s",
                     "time":"%s","tenantid":"%s","partitionkey":"%s","datacontenttype":"application/json",
                     "data":{"tenant_id":"%s","agent_id":"%s","grant_type":"client_credentials"}}"""
                    .formatted(UUID.randomUUID(), agent, Instant.now(), tenant, agent, tenant, agent);
            producer.send(new ProducerRecord<>("mandate.token", agent, event));
        }
        producer.flush();
    }

    private static boolean awaitDeliveries(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deliveries.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return deliveries.get() >= expected;
    }

    private static void reset() {
        deliveries.set(0);
        repeats.set(0);
        latenciesMs.clear();
    }

    private static long percentile(int p) {
        List<Long> sorted = new ArrayList<>(latenciesMs);
        if (sorted.isEmpty()) {
            return -1;
        }
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String call(String method, String path, String admin, String tenant, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8084" + path))
                .header("Authorization", "Bearer " + admin).header("Mandate-Tenant", tenant)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
