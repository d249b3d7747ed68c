package io.mandate.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.quarkus.security.AuthenticationFailedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What libs/auth accepts from token-service, without Quarkus: a signed {@code at+jwt} of the right
 * issuer, meant for Mandate's APIs, within its lifetime, with the claims it needs; signing keys
 * fetched from the JWKS once and again only for an unknown key, at most once a second.
 */
class AccessTokenVerifierTest {

    private static final String ISSUER = "http://token.test";

    private final AtomicInteger fetches = new AtomicInteger();
    private ECKey signing;
    private volatile JWKSet published;
    private HttpServer jwks;
    private AccessTokenVerifier verifier;

    @BeforeEach
    void serveTheKeys() throws Exception {
        signing = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        published = new JWKSet(signing.toPublicJWK());
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        verifier = new AccessTokenVerifier(config("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks"));
    }

    @AfterEach
    void stop() {
        jwks.stop(0);
    }

    private static AuthConfig config(String jwksUrl) {
        return new AuthConfig() {
            public String defaultTenantId() {
                return "ten_default";
            }

            public Optional<String> externalTenantId() {
                return Optional.empty();
            }

            public String issuer() {
                return ISSUER;
            }

            public String jwksUrl() {
                return jwksUrl;
            }

            public String audience() {
                return "mandate";
            }

            public Duration jwksCacheLifetime() {
                return Duration.ofMinutes(1);
            }

            public Duration clockSkew() {
                return Duration.ofSeconds(30);
            }

            public Duration dpopProofMaxAge() {
                return Duration.ofSeconds(60);
            }
        };
    }

    /** A token as token-service issues one, changed by {@code change}, signed by {@code key} with {@code typ}. */
    private static String token(ECKey key, String typ, UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = change.apply(new JWTClaimsSet.Builder().issuer(ISSUER).subject("agt_1")
                .audience(List.of("mandate")).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(900)))
                .jwtID("jti-" + System.nanoTime()).claim("tenant_id", "ten_1")).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(new JOSEObjectType(typ)).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private String token(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        return token(signing, "at+jwt", change);
    }

    private String refusal(String token) {
        AuthenticationFailedException refused = assertThrows(AuthenticationFailedException.class,
                () -> verifier.verify(token, "Bearer"));
        assertTrue(String.valueOf(refused.getAttributes().get(BadAccessTokens.CHALLENGE))
                .startsWith("Bearer error=\"invalid_token\""), refused.getAttributes().toString());
        return refused.getMessage();
    }

    @Test
    void aTokenOfTokenServiceForMandatesApisIsAccepted() throws Exception {
        assertEquals("agt_1", verifier.verify(token(c -> c), "Bearer").getSubject());
    }

    @Test
    void everyCheckHasItsOwnRefusal() throws Exception {
        Instant now = Instant.now();
        assertEquals("the access token's typ must be at+jwt", refusal(token(signing, "JWT", c -> c)));
        assertEquals("the access token is from another issuer", refusal(token(c -> c.issuer("http://elsewhere"))));
        assertEquals("the access token is not meant for Mandate's APIs",
                refusal(token(c -> c.audience("https://other.example"))));
        assertEquals("the access token has expired",
                refusal(token(c -> c.expirationTime(Date.from(now.minusSeconds(31))))));
        assertEquals("the access token is not valid yet",
                refusal(token(c -> c.notBeforeTime(Date.from(now.plusSeconds(60))))));
        assertEquals("the access token lacks iat, sub or jti", refusal(token(c -> c.jwtID(null))));
        assertEquals("the access token is not a signed JWT", refusal("...."));
        assertEquals("the access token is too large", refusal("a".repeat(AccessTokenVerifier.MAX_TOKEN_CHARS + 1)));
    }

    @Test
    void aTokenSignedByAnyOtherKeyIsRefusedEvenUnderAPublishedKeyId() throws Exception {
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        assertEquals("the access token's signature does not verify", refusal(token(impostor, "at+jwt", c -> c)));
    }

    @Test
    void theKeysAreFetchedOnceAndAgainOnlyForAKeyNotSeenBefore() throws Exception {
        for (int i = 0; i < 5; i++) {
            verifier.verify(token(c -> c), "Bearer");
        }
        assertEquals(1, fetches.get(), "cached");
        // A rotated key: published, and picked up the first time a token names it.
        ECKey rotated = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
        published = new JWKSet(List.of(signing.toPublicJWK(), rotated.toPublicJWK()));
        String rotatedToken = token(rotated, "at+jwt", c -> c);
        // Within a second of the last fetch it is not fetched again (the floor this also checks), then it is.
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> "agt_1".equals(verifier.verify(rotatedToken, "Bearer").getSubject()));
        assertEquals(2, fetches.get());
        // Made-up key ids cannot make it fetch more than once a second.
        for (int i = 0; i < 20; i++) {
            refusal(token(new ECKeyGenerator(Curve.P_256).keyID("made-up-" + i).generate(), "at+jwt", c -> c));
        }
        assertTrue(fetches.get() <= 3, "fetched " + fetches.get() + " times for 20 unknown keys");
    }
}
