package io.mandate.sealing;

import io.mandate.sql.Sql;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ed25519 signing keys a service makes for itself and keeps in its own table {@code (id, public_key,
 * private_key_sealed, created_at)}, the private half sealed under the key-encryption key. The newest
 * signs; all stay published. Used for audit checkpoints and delegation tokens.
 */
public final class SealedSigningKeys {

    /** A key that signs, with its id ({@code kid}). */
    public record SigningKey(String id, PrivateKey privateKey) {

        public byte[] sign(byte[] data) {
            try {
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initSign(privateKey);
                ed25519.update(data);
                return ed25519.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing failed", e);
            }
        }
    }

    /** A published key (raw 32-byte Ed25519). */
    public record PublicKey(String id, byte[] raw) {

        /** The key as a JWK (OKP / Ed25519, RFC 8037). */
        public Map<String, String> jwk() {
            return Map.of("kty", "OKP", "crv", "Ed25519", "use", "sig", "alg", "EdDSA", "kid", id,
                    "x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        }
    }

    private record Sealed(String id, byte[] privateKey) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretSealer sealer;
    private final String table;
    private final String idPrefix;

    /** {@code table} is a constant of the calling service, never input. */
    public SealedSigningKeys(SecretSealer sealer, String table, String idPrefix) {
        this.sealer = sealer;
        this.table = table;
        this.idPrefix = idPrefix;
    }

    /** The newest key; made (and stored sealed) the first time one is needed. Runs in the caller's transaction. */
    public SigningKey newest(Sql sql) {
        try {
            Optional<Sealed> sealed = sql.first("select id, private_key_sealed from " + table
                    + " order by created_at desc limit 1",
                    row -> new Sealed(row.string("id"), row.bytes("private_key_sealed")));
            if (sealed.isPresent()) {
                String id = sealed.get().id();
                byte[] pkcs8 = sealer.open(sealed.get().privateKey(), id);
                return new SigningKey(id, KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] suffix = new byte[12];
            RANDOM.nextBytes(suffix);
            String id = idPrefix + "_" + HexFormat.of().formatHex(suffix);
            byte[] x509 = pair.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length); // SubjectPublicKeyInfo ends with the key
            sql.update("insert into " + table + " (id, public_key, private_key_sealed, created_at) values (?1, ?2, ?3, now())",
                    id, raw, sealer.seal(pair.getPrivate().getEncoded(), id));
            return new SigningKey(id, pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    /** Every key, oldest first. */
    public List<PublicKey> publicKeys(Sql sql) {
        return sql.list("select id, public_key from " + table + " order by created_at",
                row -> new PublicKey(row.string("id"), row.bytes("public_key")));
    }
}
