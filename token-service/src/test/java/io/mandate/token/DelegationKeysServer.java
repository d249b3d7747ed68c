package io.mandate.token;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stands where delegation-service publishes its keys: serves, over real HTTP, the JWKS a test put in
 * the system property {@value #JWKS_PROPERTY} (tests and this resource live in different class loaders).
 */
public class DelegationKeysServer implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "http://delegation.test";
    public static final String JWKS_PROPERTY = "mandate.test.delegation-jwks";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/.well-known/delegation-keys", exchange -> {
            byte[] body = System.getProperty(JWKS_PROPERTY, "{\"keys\":[]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return Map.of("mandate.token.delegation.issuer", ISSUER,
                "mandate.token.delegation.keys-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/delegation-keys",
                "mandate.token.delegation.keys-refresh-min-interval", "0s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
