package io.mandate.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * How a client proves who it is at the token endpoint: its API key ({@code client_secret_basic}) or a key pair
 * whose public half is registered with the agent ({@code private_key_jwt}, RFC 7523).
 */
public abstract sealed class ClientCredentials permits ClientCredentials.Secret, ClientCredentials.PrivateKeyJwt {

    private final String clientId;

    private ClientCredentials(String clientId) {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("a client id is required");
        }
        this.clientId = clientId;
    }

    public String clientId() {
        return clientId;
    }

    /** The agent id and its API key, sent as HTTP Basic. */
    public static ClientCredentials secret(String clientId, String secret) {
        return new Secret(clientId, secret);
    }

    /** The agent id and a private EC (P-256) or RSA key whose public JWK is registered with the agent. */
    public static ClientCredentials privateKey(String clientId, JWK privateKey) {
        return new PrivateKeyJwt(clientId, privateKey, Clock.systemUTC());
    }

    /** Adds the credentials to a token request's headers or form. */
    abstract void apply(HttpRequest.Builder request, Map<String, String> form, URI tokenEndpoint);

    static final class Secret extends ClientCredentials {

        private final String basic;

        private Secret(String clientId, String secret) {
            super(clientId);
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("a client secret is required");
            }
            // RFC 6749 §2.3.1: each part form-encoded before Basic.
            this.basic = "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                    + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        void apply(HttpRequest.Builder request, Map<String, String> form, URI tokenEndpoint) {
            request.header("Authorization", basic);
        }

        @Override
        public String toString() {
            return "client_secret_basic " + clientId();
        }
    }

    static final class PrivateKeyJwt extends ClientCredentials {

        private static final Duration LIFETIME = Duration.ofSeconds(60);

        private final JWSSigner signer;
        private final JWSAlgorithm algorithm;
        private final String keyId;
        private final Clock clock;

        private PrivateKeyJwt(String clientId, JWK key, Clock clock) {
            super(clientId);
            if (key == null || !key.isPrivate()) {
                throw new IllegalArgumentException("private_key_jwt needs the private key");
            }
            try {
                if (key instanceof ECKey ec) {
                    signer = new ECDSASigner(ec);
                    algorithm = JWSAlgorithm.ES256;
                } else if (key instanceof RSAKey rsa) {
                    signer = new RSASSASigner(rsa);
                    algorithm = JWSAlgorithm.RS256;
                } else {
                    throw new IllegalArgumentException("private_key_jwt takes an EC P-256 or RSA key");
                }
                // Mandate knows a registered key by its RFC 7638 thumbprint, whatever kid it came with.
                keyId = key.computeThumbprint().toString();
            } catch (JOSEException e) {
                throw new IllegalArgumentException("this key cannot sign: " + e.getMessage(), e);
            }
            this.clock = clock;
        }

        @Override
        void apply(HttpRequest.Builder request, Map<String, String> form, URI tokenEndpoint) {
            Instant now = clock.instant();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId()).subject(clientId())
                    .audience(tokenEndpoint.toString()).jwtID(UUID.randomUUID().toString())
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME))).build();
            SignedJWT assertion = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
            try {
                assertion.sign(signer);
            } catch (JOSEException e) {
                throw new IllegalStateException("signing the client assertion failed", e);
            }
            form.put("client_id", clientId());
            form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            form.put("client_assertion", assertion.serialize());
        }

        @Override
        public String toString() {
            return "private_key_jwt " + clientId() + " (key " + keyId + ")";
        }
    }
}
