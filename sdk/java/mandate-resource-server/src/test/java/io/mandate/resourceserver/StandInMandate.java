package io.mandate.resourceserver;

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
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

/** A P-256 key playing Mandate's, its JWKS on a local HTTP server, and tokens signed with it. */
final class StandInMandate implements AutoCloseable {

    static final String ISSUER = "https://mandate.test";
    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    final ECKey key;
    final AtomicInteger fetches = new AtomicInteger();
    private final HttpServer server;

    StandInMandate() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID("mandate-1").generate();
        String jwks = new JWKSet(key.toPublicJWK()).toString();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    URI jwksUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
    }

    MandateResourceServer.Builder resourceServer(String audience) {
        return MandateResourceServer.builder().issuer(ISSUER).audience(audience).jwksUri(jwksUri());
    }

    /** Claims of a genuine agent token for {@code audience}, five minutes to live. */
    static JWTClaimsSet claims(String audience, String scope) {
        Date now = new Date();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("agt_1").audience(audience)
                .issueTime(now).notBeforeTime(now).expirationTime(new Date(now.getTime() + 300_000)).jwtID("jti-1")
                .claim("client_id", "agt_1").claim("tenant_id", "ten_a").claim("scope", scope)
                .claim("trust_level", 2).build();
    }

    String sign(JWTClaimsSet claims) throws Exception {
        return sign(key, new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT).keyID("mandate-1").build(), claims);
    }

    static String sign(ECKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
