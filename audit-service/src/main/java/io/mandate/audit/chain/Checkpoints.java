package io.mandate.audit.chain;

import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.audit.config.AuditConfig;
import io.mandate.eventing.WakeableLoop;
import io.mandate.sealing.SecretSealer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Signed checkpoints: Ed25519 signatures over "chain C had hash H at seq N", made for every chain
 * that grew, every {@code checkpoint-interval}, and on demand. The signed bytes are the canonical
 * JSON of {@code {chain, seq, hash (hex), created_at}}; the public keys are published as a JWKS, so
 * anyone holding an export can check the chain offline.
 */
@ApplicationScoped
public class Checkpoints {

    /** A signed checkpoint, with the exact bytes that were signed. */
    public record Checkpoint(long id, String chain, long seq, byte[] hash, Instant createdAt, String keyId,
            byte[] signature) {

        public String payload() {
            return payload(chain, seq, hash, createdAt);
        }

        static String payload(String chain, long seq, byte[] hash, Instant createdAt) {
            return new String(CanonicalJson.ofValue(Map.of("chain", chain, "seq", seq,
                    "hash", HexFormat.of().formatHex(hash), "created_at", createdAt.toString())), StandardCharsets.UTF_8);
        }
    }

    /** A public key that signed checkpoints (raw 32-byte Ed25519). */
    public record PublicKey(String id, byte[] raw) {
    }

    private final EntityManager em;
    private final SecretSealer sealer;
    private final WakeableLoop schedule;

    Checkpoints(EntityManager em, AuditConfig config) {
        this.em = em;
        this.sealer = SecretSealer.fromBase64(config.keyEncryptionKey());
        this.schedule = WakeableLoop.every("audit-checkpoints", config.checkpointInterval(), this::checkpointAll);
    }

    void start(@Observes StartupEvent startup) {
        schedule.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        schedule.stop();
    }

    /** A checkpoint for every chain whose head moved past its last checkpoint; how many were made. */
    @SuppressWarnings("unchecked")
    public int checkpointAll() {
        List<String> grown = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select h.chain from audit_chain_head h
                where h.seq > coalesce((select max(c.seq) from audit_checkpoint c where c.chain = h.chain), 0)""")
                .getResultList());
        grown.forEach(this::checkpoint);
        return grown.size();
    }

    /** Signs the chain's current head. */
    @SuppressWarnings("unchecked")
    public Checkpoint checkpoint(String chain) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> head = em.createNativeQuery("select seq, hash from audit_chain_head where chain = ?1 and seq > 0")
                    .setParameter(1, chain).getResultList();
            if (head.isEmpty()) {
                throw ProblemException.conflict("audit_trail_empty", "nothing has been recorded for this tenant yet");
            }
            long seq = ((Number) head.get(0)[0]).longValue();
            byte[] hash = (byte[]) head.get(0)[1];
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            SigningKey key = signingKey();
            byte[] signature = sign(key.privateKey(), Checkpoint.payload(chain, seq, hash, now));
            long id = ((Number) em.createNativeQuery("""
                    insert into audit_checkpoint (chain, seq, hash, created_at, key_id, signature)
                    values (?1, ?2, ?3, ?4, ?5, ?6) returning id""")
                    .setParameter(1, chain).setParameter(2, seq).setParameter(3, hash).setParameter(4, now)
                    .setParameter(5, key.id()).setParameter(6, signature)
                    .getSingleResult()).longValue();
            return new Checkpoint(id, chain, seq, hash, now, key.id(), signature);
        });
    }

    /** The chain's checkpoints, newest first, below {@code beforeId} when given; {@code limit} at most. */
    @SuppressWarnings("unchecked")
    public List<Checkpoint> list(String chain, Long beforeId, Long fromSeq, Long toSeq, int limit) {
        List<Object[]> rows = em.createNativeQuery("""
                select id, chain, seq, hash, created_at, key_id, signature from audit_checkpoint
                where chain = ?1 and (cast(?2 as bigint) is null or id < ?2)
                  and seq >= coalesce(cast(?3 as bigint), 0) and seq <= coalesce(cast(?4 as bigint), 9223372036854775807)
                order by id desc limit ?5""")
                .setParameter(1, chain).setParameter(2, beforeId).setParameter(3, fromSeq).setParameter(4, toSeq)
                .setParameter(5, limit)
                .getResultList();
        return rows.stream().map(r -> new Checkpoint(((Number) r[0]).longValue(), (String) r[1],
                ((Number) r[2]).longValue(), (byte[]) r[3], (Instant) r[4], (String) r[5], (byte[]) r[6])).toList();
    }

    /** Every key that ever signed a checkpoint: old checkpoints stay verifiable. */
    @SuppressWarnings("unchecked")
    public List<PublicKey> publicKeys() {
        List<Object[]> rows = em.createNativeQuery("select id, public_key from audit_signing_key order by created_at")
                .getResultList();
        return rows.stream().map(r -> new PublicKey((String) r[0], (byte[]) r[1])).toList();
    }

    private record SigningKey(String id, PrivateKey privateKey) {
    }

    /** The newest signing key; made (and stored sealed) the first time one is needed. */
    @SuppressWarnings("unchecked")
    private SigningKey signingKey() throws GeneralSecurityException {
        List<Object[]> rows = em.createNativeQuery(
                "select id, private_key_sealed from audit_signing_key order by created_at desc limit 1").getResultList();
        if (!rows.isEmpty()) {
            String id = (String) rows.get(0)[0];
            byte[] pkcs8 = sealer.open((byte[]) rows.get(0)[1], id);
            return new SigningKey(id, KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
        }
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String id = TypeIds.newId("ak");
        byte[] x509 = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length); // SubjectPublicKeyInfo ends with the key
        em.createNativeQuery("""
                insert into audit_signing_key (id, public_key, private_key_sealed, created_at) values (?1, ?2, ?3, now())""")
                .setParameter(1, id).setParameter(2, raw)
                .setParameter(3, sealer.seal(pair.getPrivate().getEncoded(), id))
                .executeUpdate();
        return new SigningKey(id, pair.getPrivate());
    }

    private static byte[] sign(PrivateKey key, String payload) throws GeneralSecurityException {
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(key);
        ed25519.update(payload.getBytes(StandardCharsets.UTF_8));
        return ed25519.sign();
    }
}
