package io.mandate.cli.commands;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.cli.Exit;
import io.mandate.cli.Secrets;
import io.mandate.cli.UsageException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mint-test", mixinStandardHelpOptions = true,
        description = {"Mints tokens for your own tests, signed with a local development key (never Mandate's).",
                "The claims you choose, expired or not yet valid ones, and the forgeries an API must refuse (--attack).",
                "The key and its JWKS live in --keys (made on first use); point the API under test at jwks.json.",
                "Every token says test_only: true and its issuer ends in .invalid: NOT FOR PRODUCTION."})
class TokenMintTest extends BaseCommand {

    static final List<String> ATTACKS = List.of("alg-none", "hs256-public-key", "unknown-kid", "jku", "x5u",
            "embedded-jwk", "wrong-typ", "stripped-signature", "bad-signature", "oversized");
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    @Option(names = "--keys", defaultValue = "mandate-test-keys", paramLabel = "DIR",
            description = "Where the test key and jwks.json are (default: ${DEFAULT-VALUE}).")
    Path keys;
    @Option(names = "--iss", defaultValue = "https://mandate-test.invalid", description = "Default: ${DEFAULT-VALUE}.")
    String issuer;
    @Option(names = "--aud", defaultValue = "mandate", description = "Default: ${DEFAULT-VALUE}.")
    String audience;
    @Option(names = "--sub", defaultValue = "agt_test", description = "Default: ${DEFAULT-VALUE}.")
    String subject;
    @Option(names = "--tenant-claim", defaultValue = "ten_test", paramLabel = "TENANT_ID", description = "The tenant_id claim (default: ${DEFAULT-VALUE}).")
    String tenant;
    @Option(names = "--scope", defaultValue = "", description = "Space-separated.")
    String scope;
    @Option(names = "--act", paramLabel = "AGENT_ID", description = "Make it a delegated token acting through this agent.")
    String actor;
    @Option(names = "--claim", paramLabel = "NAME=VALUE", description = "Another claim (repeatable).")
    Map<String, String> extra = Map.of();
    @Option(names = "--lifetime", defaultValue = "PT15M", description = "ISO-8601 duration (default 15 min).")
    Duration lifetime;
    @Option(names = "--expired", description = "Expired an hour ago.")
    boolean expired;
    @Option(names = "--not-yet-valid", description = "Valid only from ten minutes on (nbf).")
    boolean notYetValid;
    @Option(names = "--attack", paramLabel = "NAME",
            description = "A forgery: alg-none, hs256-public-key, unknown-kid, jku, x5u, embedded-jwk, wrong-typ, "
                    + "stripped-signature, bad-signature, oversized.")
    String attack;

    @Override
    public Integer call() throws Exception {
        if (attack != null && !ATTACKS.contains(attack)) {
            throw new UsageException("unknown attack " + attack + "; one of " + String.join(", ", ATTACKS));
        }
        ECKey key = key();
        Instant now = Instant.now();
        Instant issued = expired ? now.minus(lifetime).minusSeconds(3600) : now;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
                .issueTime(Date.from(issued)).expirationTime(Date.from(issued.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString()).claim("client_id", actor != null ? actor : subject)
                .claim("tenant_id", tenant).claim("scope", scope).claim("test_only", true);
        if (notYetValid) {
            claims.notBeforeTime(Date.from(now.plusSeconds(600)));
        }
        if (actor != null) {
            claims.claim("act", Map.of("sub", actor));
        }
        extra.forEach(claims::claim);
        if ("oversized".equals(attack)) {
            claims.claim("pad", "x".repeat(12_000));
        }
        out().println(mint(key, claims.build()));
        err().println("note: a TEST token (iss " + issuer + ", signed by " + keys.resolve("jwks.json")
                + "): never accept it in production");
        return Exit.OK;
    }

    private String mint(ECKey key, JWTClaimsSet claims) throws Exception {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT).keyID(key.getKeyID());
        if (attack == null || attack.equals("oversized")) {
            return sign(key, header.build(), claims);
        }
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate();
        switch (attack) {
            case "alg-none":
                return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + key.getKeyID() + "\"}") + "."
                        + Base64URL.encode(claims.toString()) + ".";
            case "hs256-public-key": {
                byte[] jwks = Files.readAllBytes(keys.resolve("jwks.json"));
                SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(AT_JWT)
                        .keyID(key.getKeyID()).build(), claims);
                hmac.sign(new MACSigner(Arrays.copyOf(jwks, Math.max(64, jwks.length))));
                return hmac.serialize();
            }
            case "unknown-kid":
                return sign(stranger, new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT).keyID("unknown").build(),
                        claims);
            case "jku":
                return sign(stranger, header.jwkURL(URI.create("https://attacker.invalid/jwks.json")).build(), claims);
            case "x5u":
                return sign(stranger, header.x509CertURL(URI.create("https://attacker.invalid/cert.pem")).build(), claims);
            case "embedded-jwk":
                return sign(stranger, new JWSHeader.Builder(JWSAlgorithm.ES256).type(AT_JWT)
                        .jwk(stranger.toPublicJWK()).build(), claims);
            case "wrong-typ":
                return sign(key, new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                        .keyID(key.getKeyID()).build(), claims);
            case "stripped-signature": {
                String[] parts = sign(key, header.build(), claims).split("\\.");
                return parts[0] + "." + parts[1] + ".";
            }
            default: { // bad-signature: the payload changed after signing
                String[] parts = sign(key, header.build(), claims).split("\\.");
                return parts[0] + "." + Base64URL.encode(new JWTClaimsSet.Builder(claims).claim("scope", "*").build()
                        .toString()) + "." + parts[2];
            }
        }
    }

    private static String sign(ECKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** The development key in {@code keys}, made with its JWKS on first use. */
    private ECKey key() throws Exception {
        Path secret = keys.resolve("test-signing-key.jwk");
        if (Files.exists(secret)) {
            return ECKey.parse(Files.readString(secret));
        }
        Files.createDirectories(keys);
        ECKey made = new ECKeyGenerator(Curve.P_256).generate();
        ECKey key = new ECKey.Builder(made).keyID("test-" + made.computeThumbprint().toString().substring(0, 16)).build();
        Secrets.writePrivate(secret, key.toJSONString());
        Files.writeString(keys.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString(false));
        Files.writeString(keys.resolve("README.txt"), "Test keys made by `mandate token mint-test`. NOT FOR PRODUCTION:\n"
                + "tokens they sign say test_only: true. Point an API under test at jwks.json.\n");
        return key;
    }
}
