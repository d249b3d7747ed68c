package io.mandate.token;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Where clients' metadata documents live in the tests: an https server on 127.0.0.1 with a certificate
 * made for the run (keytool), which token-service is told to trust, with loopback fetches allowed and a
 * 1 s timeout. A test puts a document (or a slow, large or redirecting answer) at a path and counts
 * how often token-service fetched it.
 */
public class ClientMetadataServer implements QuarkusTestResourceLifecycleManager {

    /** What a path answers. */
    public record Answer(int status, String body, Map<String, String> headers, Duration delay) {

        public static Answer json(String body, String... headers) {
            Map<String, String> map = new ConcurrentHashMap<>();
            for (int i = 0; i + 1 < headers.length; i += 2) {
                map.put(headers[i], headers[i + 1]);
            }
            return new Answer(200, body, map, Duration.ZERO);
        }
    }

    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> FETCHES = new ConcurrentHashMap<>();
    private static volatile String base;
    private HttpsServer server;

    /** The https URL of {@code path} on this server. */
    public static String url(String path) {
        return base + path;
    }

    public static void answer(String path, Answer answer) {
        ANSWERS.put(path, answer);
    }

    public static int fetches(String path) {
        return FETCHES.getOrDefault(path, new AtomicInteger()).get();
    }

    /** A metadata document naming {@code path}'s URL as its client_id. */
    public static String document(String path, String name, List<String> redirectUris) {
        String uris = String.join(",", redirectUris.stream().map(u -> "\"" + u + "\"").toList());
        return """
                {"client_id":"%s","client_name":"%s","redirect_uris":[%s],"grant_types":["authorization_code","refresh_token"],
                 "response_types":["code"],"token_endpoint_auth_method":"none","logo_uri":"https://cdn.example.com/logo.png"}"""
                .formatted(url(path), name, uris);
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "client-metadata-server"));
            Path keystore = dir.resolve("server.p12");
            Path certificate = dir.resolve("server.pem");
            Files.deleteIfExists(keystore);
            run("keytool", "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
            run("keytool", "-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                    "-storepass", "changeit", "-file", certificate.toString());
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", ClientMetadataServer::serve);
            server.start();
            base = "https://127.0.0.1:" + server.getAddress().getPort();
            return Map.of("mandate.token.client-metadata.trust-certificates", certificate.toAbsolutePath().toString(),
                    "mandate.token.client-metadata.allow-loopback", "true",
                    "mandate.token.client-metadata.timeout", "1s");
        } catch (Exception e) {
            throw new IllegalStateException("could not start the client metadata server", e);
        }
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        FETCHES.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Answer answer = ANSWERS.getOrDefault(path, new Answer(404, "", Map.of(), Duration.ZERO));
        try {
            Thread.sleep(answer.delay().toMillis()); // a slow server, on purpose
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        boolean chunked = answer.headers().containsKey("X-Chunked");
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : chunked ? 0 : body.length);
            out.write(body);
        } catch (IOException e) {
            // the client hung up (a body past its limit): nothing to answer
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + output);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
