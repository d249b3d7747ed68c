package io.mandate.token.rest;

import static org.hamcrest.Matchers.equalTo;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.testsupport.ClientKey;
import io.mandate.token.IdentityFixtures;
import io.mandate.token.IdentityFixtures.TestAgent;
import io.mandate.token.service.AccessTokensTestAccess;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Forged and doctored access tokens presented back to token-service: each is inactive on introspection
 * and refused (401, nothing revoked) where an agent uses its token, while the genuine token stays active.
 */
@QuarkusTest
class JwtAttackIT {

    private static final List<String> PERMISSIONS = List.of("crm:contacts:read");

    @Inject
    AccessTokensTestAccess signer;

    @Test
    void forgedAndDoctoredTokensAreRefused() throws Exception {
        TestAgent agent = IdentityFixtures.registerAgent(PERMISSIONS);
        String genuine = IntrospectionIT.token(agent);
        SignedJWT parsed = SignedJWT.parse(genuine);
        JWSHeader ours = parsed.getHeader();
        JWTClaimsSet claims = parsed.getJWTClaimsSet();
        String[] parts = genuine.split("\\.");
        ClientKey attacker = ClientKey.ec();
        Date now = new Date();

        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("alg none", Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + ours.getKeyID() + "\"}")
                + "." + parts[1] + ".");
        String jwks = io.restassured.RestAssured.given().get("/.well-known/jwks.json").asString();
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(ours.getType())
                .keyID(ours.getKeyID()).build(), claims);
        hmac.sign(new MACSigner(Arrays.copyOf(jwks.getBytes(StandardCharsets.UTF_8), Math.max(64, jwks.length()))));
        attacks.put("HS256 keyed with the public keys", hmac.serialize());
        attacks.put("our kid, another key", attacker.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(ours.getType())
                .keyID(ours.getKeyID()).build(), claims));
        attacks.put("unknown kid", attacker.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(ours.getType())
                .keyID("unknown").build(), claims));
        attacks.put("jku elsewhere", attacker.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(ours.getType())
                .keyID(attacker.thumbprint()).jwkURL(URI.create("https://attacker.example/jwks.json")).build(), claims));
        attacks.put("x5u elsewhere", attacker.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(ours.getType())
                .keyID(attacker.thumbprint()).x509CertURL(URI.create("https://attacker.example/cert.pem")).build(), claims));
        attacks.put("embedded jwk", attacker.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(ours.getType())
                .jwk(attacker.publicJwk()).build(), claims));
        attacks.put("expired", signer.sign(new JWTClaimsSet.Builder(claims).issueTime(new Date(now.getTime() - 3_600_000))
                .notBeforeTime(new Date(now.getTime() - 3_600_000)).expirationTime(new Date(now.getTime() - 1_000)).build()));
        attacks.put("not yet valid", signer.sign(new JWTClaimsSet.Builder(claims)
                .notBeforeTime(new Date(now.getTime() + 600_000)).build()));
        attacks.put("wrong iss", signer.sign(new JWTClaimsSet.Builder(claims).issuer("https://evil.example").build()));
        attacks.put("stripped signature", parts[0] + "." + parts[1] + ".");
        attacks.put("changed payload", parts[0] + "." + Base64URL.encode(new JWTClaimsSet.Builder(claims)
                .claim("scope", "crm:*:*").build().toString()) + "." + parts[2]);
        attacks.put("oversized", signer.sign(new JWTClaimsSet.Builder(claims).claim("pad", "x".repeat(12_000)).build()));

        for (var attack : attacks.entrySet()) {
            IntrospectionIT.introspect(agent, attack.getValue()).body("active", equalTo(false));
            DpopIT.revokeAll("Bearer " + attack.getValue(), null).statusCode(401).body("code", equalTo("invalid_token"));
        }
        // A genuine token for another audience is active, but not for token-service's own endpoints.
        String otherAudience = signer.sign(new JWTClaimsSet.Builder(claims).audience("https://crm.example.com").build());
        IntrospectionIT.introspect(agent, otherAudience).body("active", equalTo(true));
        DpopIT.revokeAll("Bearer " + otherAudience, null).statusCode(401).body("code", equalTo("invalid_token"));

        IntrospectionIT.introspect(agent, genuine).body("active", equalTo(true));
    }
}
