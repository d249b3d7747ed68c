package io.mandate.delegation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import io.mandate.delegation.Grant;
import io.mandate.delegation.config.DelegationConfig;
import io.mandate.jose.DelegationStatements;
import io.mandate.sealing.SealedSigningKeys;
import io.mandate.sealing.SecretSealer;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Delegation tokens: compact JWS ({@code typ: delegation+jwt}, EdDSA) stating one grant — who lent
 * authority ({@code sub}), to whom ({@code agent_id}), through which chain, which scopes, until when.
 * They are not access tokens (no resource server accepts this type or key); token-service exchanges
 * them (RFC 8693) after checking the signature against {@code /.well-known/delegation-keys}. Revocation
 * is not in the token: validate and exchange check it.
 */
@ApplicationScoped
public class DelegationTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** Which grant a verified delegation token is for; the grant's row is the authority on everything else. */
    public record Claims(String delegationId, String tenantId) {
    }

    private final Sql sql;
    private final SealedSigningKeys keys;
    private final String issuer;
    private volatile Map<String, OctetKeyPair> published = Map.of();

    DelegationTokens(Sql sql, DelegationConfig config) {
        this.sql = sql;
        this.keys = new SealedSigningKeys(SecretSealer.fromBase64(config.keyEncryptionKey()), "delegation_signing_key",
                "dk");
        this.issuer = config.issuer();
    }

    /** A token for {@code grant}, expiring with it. */
    @Transactional
    public String mint(Grant grant) {
        SealedSigningKeys.SigningKey key = keys.newest(sql);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "EdDSA");
        header.put("typ", DelegationStatements.TYPE);
        header.put("kid", key.id());
        List<Map<String, String>> chain = grant.chain().stream()
                .map(link -> Map.of("delegation_id", link.delegationId(), "agent_id", link.agentId())).toList();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", grant.userId);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("exp", grant.expiresAt.getEpochSecond());
        claims.put("tenant_id", grant.tenantId);
        claims.put("delegation_id", grant.id);
        claims.put("agent_id", grant.agentId);
        claims.put("scope", String.join(" ", grant.scopes));
        claims.put("max_depth", grant.maxDepth);
        claims.put("chain", chain);
        String signingInput = base64url(header) + "." + base64url(claims);
        byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + BASE64URL.encodeToString(signature);
    }

    /**
     * The grant of a token this service signed with this issuer, expired or not (validate says which);
     * empty when it is malformed, forged, tampered with or of another type.
     */
    public Optional<Claims> read(String token) {
        return DelegationStatements.verify(token, this::publishedKey)
                .filter(claims -> issuer.equals(claims.get("iss")) && claims.get("delegation_id") instanceof String
                        && claims.get("tenant_id") instanceof String)
                .map(claims -> new Claims((String) claims.get("delegation_id"), (String) claims.get("tenant_id")));
    }

    /** Every key that signs or signed delegation tokens. */
    @Transactional
    public List<SealedSigningKeys.PublicKey> publicKeys() {
        return keys.publicKeys(sql);
    }

    private OctetKeyPair publishedKey(String kid) {
        OctetKeyPair key = published.get(kid);
        if (key == null) {
            Map<String, OctetKeyPair> reloaded = new LinkedHashMap<>();
            publicKeys().forEach(k -> reloaded.put(k.id(),
                    new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(k.raw())).keyID(k.id()).build()));
            published = reloaded;
            key = reloaded.get(kid);
        }
        return key;
    }

    private static String base64url(Map<String, Object> json) {
        try {
            return BASE64URL.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
