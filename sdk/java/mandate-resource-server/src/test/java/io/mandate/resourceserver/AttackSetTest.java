package io.mandate.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JWT attack set of token-service's own tests, against the library: a stand-in Mandate (a P-256 key and its JWKS
 * on a local HTTP server) signs the genuine token and the forgeries that need its key. Each forgery is refused with
 * the reason {@code mandate token verify} prints. The same set against the real platform: e2e ResourceServerIT.
 */
class AttackSetTest {

    private static final String AUDIENCE = "https://api.test/reports";
    private static final JOSEObjectType AT_JWT = StandInMandate.AT_JWT;

    private static StandInMandate mandate;
    private static MandateResourceServer server;

    @BeforeAll
    static void standInMandate() throws Exception {
        mandate = new StandInMandate();
        server = mandate.resourceServer(AUDIENCE).build();
    }

    @AfterAll
    static void stop() {
        mandate.close();
    }

    static JWTClaimsSet claims() {
        return StandInMandate.claims(AUDIENCE, "reports:read crm:*:read");
    }

    static String sign(ECKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        return StandInMandate.sign(key, header, claims);
    }

    static String mandateSigned(JWTClaimsSet claims) throws Exception {
        return mandate.sign(claims);
    }

    @Test
    void theGenuineTokenIsAcceptedAndTellsWhoCalls() throws Exception {
        MandateToken token = server.validate(mandateSigned(claims()));
        assertEquals("agt_1", token.subject());
        assertEquals("ten_a", token.tenantId());
        assertEquals(2, token.trustLevel());
        assertTrue(token.allows("crm:contacts:read"), "a wildcard part covers a value");
        assertEquals(List.of("reports:write"), token.missing(List.of("reports:read", "reports:write")));
    }

    @Test
    void everyForgeryIsRefusedWithItsReason() throws Exception {
        JWTClaimsSet claims = claims();
        String genuine = mandateSigned(claims);
        String[] parts = genuine.split("\\.");
        ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();
        Date now = new Date();

        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("alg none", Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"mandate-1\"}") + "."
                + parts[1] + ".");
        expected.put("alg none", "alg none");
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(AT_JWT).keyID("mandate-1").build(),
                claims);
        byte[] publicJwks = new JWKSet(mandate.key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        hmac.sign(new MACSigner(Arrays.copyOf(publicJwks, Math.max(64, publicJwks.length))));
        attacks.put("HS256 keyed with the public keys", hmac.serialize());
        expected.put("HS256 keyed with the public keys", "alg HS256 is refused");
        attacks.put("our kid, another key", sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT)
                .keyID("mandate-1").build(), claims));
        expected.put("our kid, another key", "signature does not verify");
        attacks.put("unknown kid", sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT)
                .keyID("unknown").build(), claims));
        expected.put("unknown kid", "kid unknown is not one of Mandate's signing keys");
        attacks.put("jku elsewhere", sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT)
                .keyID("a").jwkURL(URI.create("https://attacker.example/jwks.json")).build(), claims));
        expected.put("jku elsewhere", "names its own key");
        attacks.put("x5u elsewhere", sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT)
                .keyID("a").x509CertURL(URI.create("https://attacker.example/cert.pem")).build(), claims));
        expected.put("x5u elsewhere", "names its own key");
        attacks.put("embedded jwk", sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT)
                .jwk(attacker.toPublicJWK()).build(), claims));
        expected.put("embedded jwk", "names its own key");
        attacks.put("expired", mandateSigned(new JWTClaimsSet.Builder(claims).issueTime(new Date(now.getTime() - 3_600_000))
                .notBeforeTime(new Date(now.getTime() - 3_600_000)).expirationTime(new Date(now.getTime() - 60_000)).build()));
        expected.put("expired", "expired at");
        attacks.put("not yet valid", mandateSigned(new JWTClaimsSet.Builder(claims)
                .notBeforeTime(new Date(now.getTime() + 600_000)).build()));
        expected.put("not yet valid", "not valid before");
        attacks.put("wrong iss", mandateSigned(new JWTClaimsSet.Builder(claims).issuer("https://evil.example").build()));
        expected.put("wrong iss", "from issuer https://evil.example");
        attacks.put("wrong aud", mandateSigned(new JWTClaimsSet.Builder(claims).audience("mandate").build()));
        expected.put("wrong aud", "is for [mandate]");
        attacks.put("wrong typ", sign(mandate.key, new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID("mandate-1").build(), claims));
        expected.put("wrong typ", "typ is JWT");
        attacks.put("stripped signature", parts[0] + "." + parts[1] + ".");
        expected.put("stripped signature", "not a signed JWT");
        attacks.put("changed payload", parts[0] + "." + Base64URL.encode(new JWTClaimsSet.Builder(claims)
                .claim("scope", "*").build().toString()) + "." + parts[2]);
        expected.put("changed payload", "signature does not verify");
        attacks.put("oversized", mandateSigned(new JWTClaimsSet.Builder(claims).claim("pad", "x".repeat(12_000)).build()));
        expected.put("oversized", "too large");

        for (var attack : attacks.entrySet()) {
            BadTokenException refused = assertThrows(BadTokenException.class, () -> server.validate(attack.getValue()),
                    attack.getKey());
            assertEquals("invalid_token", refused.error(), attack.getKey());
            assertTrue(refused.description().contains(expected.get(attack.getKey())),
                    attack.getKey() + ": " + refused.description());
        }
        assertEquals("agt_1", server.validate(genuine).subject());
    }

    @Test
    void unknownKidsDoNotFetchTheKeysMoreThanOnceASecond() throws Exception {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();
        server.validate(mandateSigned(claims()));
        int before = mandate.fetches.get();
        for (int i = 0; i < 20; i++) {
            String forged = sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT).keyID("k" + i).build(),
                    claims());
            assertThrows(BadTokenException.class, () -> server.validate(forged));
        }
        int fetched = mandate.fetches.get() - before;
        assertTrue(fetched <= 2, "fetched " + fetched + " times");
    }
}
