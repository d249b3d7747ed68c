package io.mandate.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * A real OIDC issuer for tests: its own EC P-256 key, discovery and JWKS over HTTP on a free port.
 * Services under test validate its tokens exactly as they validate token-service's or an enterprise
 * IdP's. Its URL and private key are kept in system properties so that tests (in another class
 * loader than the Quarkus test resource that started it) can mint tokens.
 */
public final class TestIssuer {

    /** The audience token-service puts in tokens for Mandate's own APIs. */
    public static final String MANDATE_AUDIENCE = "mandate";
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final String url;
    private final ECKey key;

    private TestIssuer(String url, ECKey key) {
        this.url = url;
        this.key = key;
    }

    /** Starts the issuer {@code name} (idempotent within a JVM) and returns it. */
    public static synchronized TestIssuer start(String name) {
        if (System.getProperty(property(name, "url")) != null) {
            return named(name);
        }
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(name + "-" + UUID.randomUUID()).generate();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
            String discovery = "{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/jwks\","
                    + "\"id_token_signing_alg_values_supported\":[\"ES256\"]}";
            String jwks = new JWKSet(key.toPublicJWK()).toString();
            server.createContext("/" + name + "/.well-known/openid-configuration", exchange -> respond(exchange, discovery));
            server.createContext("/" + name + "/jwks", exchange -> respond(exchange, jwks));
            server.createContext("/" + name + "/.well-known/jwks.json", exchange -> respond(exchange, jwks));
            server.start();
            System.setProperty(property(name, "url"), url);
            System.setProperty(property(name, "jwk"), key.toJSONString());
            return new TestIssuer(url, key);
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException("could not start test issuer " + name, e);
        }
    }

    /** The issuer {@code name} started earlier in this JVM. */
    public static TestIssuer named(String name) {
        String url = System.getProperty(property(name, "url"));
        if (url == null) {
            throw new IllegalStateException("test issuer " + name + " is not running");
        }
        try {
            return new TestIssuer(url, ECKey.parse(System.getProperty(property(name, "jwk"))));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return url;
    }

    /**
     * A signed access token with these claims, issued now, valid for {@code lifetime} (negative: expired);
     * meant for Mandate's APIs ({@code aud} {@value #MANDATE_AUDIENCE}) unless {@code claims} name another {@code aud}.
     */
    public String token(String subject, Map<String, Object> claims, Duration lifetime) {
        return sign(key, subject, claims, lifetime);
    }

    /** A token as {@link #token} with a header {@code typ} of choice (RFC 9068 wants {@code at+jwt}). */
    public String tokenOfType(String type, String subject, Map<String, Object> claims) {
        return sign(key, new JOSEObjectType(type), subject, claims, Duration.ofMinutes(5));
    }

    /** A token naming this issuer but signed by a key it never published. */
    public String forged(String subject, Map<String, Object> claims) {
        try {
            return sign(new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate(), subject, claims,
                    Duration.ofMinutes(5));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(ECKey signingKey, String subject, Map<String, Object> claims, Duration lifetime) {
        return sign(signingKey, AT_JWT, subject, claims, lifetime);
    }

    private String sign(ECKey signingKey, JOSEObjectType type, String subject, Map<String, Object> claims,
            Duration lifetime) {
        Instant now = Instant.now();
        Instant issued = lifetime.isNegative() ? now.plus(lifetime).minusSeconds(60) : now;
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(url).subject(subject)
                .issueTime(Date.from(issued)).notBeforeTime(Date.from(issued))
                .expirationTime(Date.from(now.plus(lifetime))).jwtID(UUID.randomUUID().toString())
                .audience(MANDATE_AUDIENCE);
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(type)
                .keyID(signingKey.getKeyID()).build(), builder.build());
        try {
            jwt.sign(new ECDSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String property(String name, String what) {
        return "mandate.test-issuer." + name + "." + what;
    }
}
