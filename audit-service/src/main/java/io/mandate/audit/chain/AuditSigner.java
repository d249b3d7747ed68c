package io.mandate.audit.chain;

import io.mandate.audit.config.AuditConfig;
import io.mandate.sealing.SealedSigningKeys;
import io.mandate.sealing.SecretSealer;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Ed25519 keys that sign what vouches for the trail (checkpoints and purge markers), published
 * at {@code /.well-known/audit-keys}. The private halves are sealed under the key-encryption key,
 * which the database does not hold: whoever can write the audit tables still cannot sign.
 */
@ApplicationScoped
public class AuditSigner {

    /** A signature and the id ({@code kid}) of the key that made it. */
    public record Signed(String keyId, byte[] signature) {
    }

    private final Sql sql;
    private final SealedSigningKeys keys;

    AuditSigner(Sql sql, AuditConfig config) {
        this.sql = sql;
        this.keys = new SealedSigningKeys(SecretSealer.fromBase64(config.keyEncryptionKey()), "audit_signing_key", "ak");
    }

    /** Signs the UTF-8 bytes of {@code payload} with the newest key; runs in the caller's transaction. */
    public Signed sign(String payload) {
        SealedSigningKeys.SigningKey key = keys.newest(sql);
        return new Signed(key.id(), key.sign(payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every key that ever signed, oldest first. */
    public List<SealedSigningKeys.PublicKey> publicKeys() {
        return keys.publicKeys(sql);
    }

    /** The published keys by id, for {@link io.mandate.auditchain.ChainLinks#verifies}. */
    public Map<String, byte[]> keyring() {
        return publicKeys().stream().collect(Collectors.toMap(SealedSigningKeys.PublicKey::id, SealedSigningKeys.PublicKey::raw));
    }
}
