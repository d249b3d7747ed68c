package io.mandate.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Date;
import java.util.UUID;

/** A client's key pair (EC P-256 or Ed25519) that signs client assertions and DPoP proofs as a client library would. */
public final class ClientKey {

    private final JWK publicJwk;
    private final JWSAlgorithm algorithm;
    private final ECKey ecKey;
    private final KeyPair edKeys;

    private ClientKey(JWK publicJwk, JWSAlgorithm algorithm, ECKey ecKey, KeyPair edKeys) {
        this.publicJwk = publicJwk;
        this.algorithm = algorithm;
        this.ecKey = ecKey;
        this.edKeys = edKeys;
    }

    public static ClientKey ec() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).generate();
            return new ClientKey(key.toPublicJWK(), JWSAlgorithm.ES256, key, null);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ClientKey ed25519() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            JWK jwk = new OctetKeyPair.Builder(Curve.Ed25519,
                    Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length))).build();
            return new ClientKey(jwk, JWSAlgorithm.EdDSA, null, pair);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public JWK publicJwk() {
        return publicJwk;
    }

    /** The EC private JWK (to test a proof that wrongly carries the private key). */
    public ECKey privateEcJwk() {
        return ecKey;
    }

    public String thumbprint() {
        try {
            return publicJwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public JWSHeader.Builder header() {
        return new JWSHeader.Builder(algorithm);
    }

    public String sign(JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            if (ecKey != null) {
                jwt.sign(new ECDSASigner(ecKey));
                return jwt.serialize();
            }
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(edKeys.getPrivate());
            signer.update(jwt.getSigningInput());
            return new String(jwt.getSigningInput(), StandardCharsets.US_ASCII) + "." + Base64URL.encode(signer.sign());
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RFC 7523 client assertion for {@code agentId}, {@code aud} the token endpoint, 60 s, fresh jti. */
    public JWTClaimsSet.Builder assertion(String agentId) {
        Date now = new Date();
        return new JWTClaimsSet.Builder().issuer(agentId).subject(agentId).audience("http://token.test/oauth2/token")
                .issueTime(now).expirationTime(new Date(now.getTime() + 60_000)).jwtID(UUID.randomUUID().toString());
    }

    public String assertionFor(String agentId) {
        return sign(header().keyID(thumbprint()).build(), assertion(agentId).build());
    }

    /** A DPoP proof for {@code method url}; with {@code accessToken}, its {@code ath}. */
    public JWTClaimsSet.Builder proofClaims(String method, String url, String accessToken) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                .claim("htm", method).claim("htu", url).issueTime(new Date());
        if (accessToken != null) {
            claims.claim("ath", io.mandate.jose.DpopProof.hash(accessToken));
        }
        return claims;
    }

    public JWSHeader.Builder proofHeader() {
        return header().type(new JOSEObjectType("dpop+jwt")).jwk(publicJwk);
    }

    public String proof(String method, String url, String accessToken) {
        return sign(proofHeader().build(), proofClaims(method, url, accessToken).build());
    }
}
