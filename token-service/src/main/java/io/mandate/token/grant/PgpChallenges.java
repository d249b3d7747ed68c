package io.mandate.token.grant;

import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.sql.Sql;
import io.mandate.token.AgentProjection;
import io.mandate.token.CredentialProjection;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * The SWARM PGP flow: a one-time secret, encrypted to the agent's registered OpenPGP key, that only
 * the holder of the private key can read back. Proving it earns tokens at trust level 3. Each
 * challenge answers once (right or wrong) and lives five minutes; only the secret's SHA-256 is kept.
 */
@ApplicationScoped
public class PgpChallenges {

    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Sql sql;
    private final ProjectionRepository projections;

    PgpChallenges(Sql sql, ProjectionRepository projections) {
        this.sql = sql;
        this.projections = projections;
    }

    public record Challenge(String challengeId, String encryptedChallenge, Instant expiresAt) {
    }

    /** Who proved what: the agent and the PGP credential its answer was encrypted to. */
    public record Proven(AgentProjection agent, String credentialId, String fingerprint) {
    }

    @Transactional
    public Challenge issue(String agentId) {
        AgentProjection agent = projections.findAgent(agentId).filter(AgentProjection::isActive)
                .orElseThrow(() -> ProblemException.notFound("agent_not_found", "no active agent " + agentId));
        CredentialProjection credential = projections.credentials(agentId, "pgp").stream()
                .filter(c -> c.isActive() && !c.isExpired(Instant.now())).findFirst()
                .orElseThrow(() -> ProblemException.notFound("no_pgp_key", "agent " + agentId + " has no active PGP key"));
        String secret = "mandate-pgp-challenge:" + TypeIds.randomToken(32);
        String encrypted = encrypt(secret.getBytes(StandardCharsets.UTF_8), credential.verifier);
        String id = TypeIds.newId("pgpc");
        Instant expiresAt = Instant.now().plus(LIFETIME).truncatedTo(ChronoUnit.MICROS);
        sql.update("""
                insert into pgp_challenge (id, agent_id, tenant_id, credential_id, secret_hash, expires_at)
                values (?1, ?2, ?3, ?4, ?5, ?6)""",
                id, agentId, agent.tenantId, credential.credentialId, Sha256.of(secret), expiresAt);
        return new Challenge(id, encrypted, expiresAt);
    }

    /** Uses the challenge up whatever the answer; a wrong, late or repeated answer is {@code invalid_grant}. */
    @Transactional(dontRollbackOn = OAuthException.class)
    public Proven verify(String challengeId, String agentId, String response) {
        record Stored(String agentId, String credentialId, byte[] secretHash, Instant expiresAt, Instant usedAt) {
        }
        Stored row = sql.first("""
                select agent_id, credential_id, secret_hash, expires_at, used_at from pgp_challenge
                where id = ?1 for update""",
                r -> new Stored(r.string("agent_id"), r.string("credential_id"), r.bytes("secret_hash"),
                        r.instant("expires_at"), r.instant("used_at")),
                challengeId).orElseThrow(() -> OAuthException.invalidGrant("unknown challenge"));
        if (row.usedAt() != null || !Instant.now().isBefore(row.expiresAt())) {
            throw OAuthException.invalidGrant("the challenge was used or has expired; ask for a new one");
        }
        sql.update("update pgp_challenge set used_at = now() where id = ?1", challengeId);
        if (!row.agentId().equals(agentId) || !MessageDigest.isEqual(row.secretHash(), Sha256.of(response))) {
            throw OAuthException.invalidGrant("the answer does not match the challenge");
        }
        Optional<CredentialProjection> credential = projections.findCredentialById(row.credentialId());
        if (credential.isEmpty() || !credential.get().isActive() || credential.get().isExpired(Instant.now())) {
            throw OAuthException.invalidGrant("the PGP key was revoked");
        }
        AgentProjection agent = projections.findAgent(agentId).filter(AgentProjection::isActive)
                .orElseThrow(() -> OAuthException.invalidGrant("the agent is not active"));
        return new Proven(agent, row.credentialId(), credential.get().keyId);
    }

    /** Encrypts to the first encryption-capable key of the armored public key (AES-256, integrity-protected). */
    /** The OpenPGP fingerprint of an armored public key (upper-case hex, as identity-service keys it); 400 if none. */
    static String fingerprint(String armoredPublicKey) {
        try {
            PGPPublicKeyRing ring = new PGPPublicKeyRing(PGPUtil.getDecoderStream(
                    new ByteArrayInputStream(armoredPublicKey.getBytes(StandardCharsets.US_ASCII))),
                    new BcKeyFingerprintCalculator());
            return java.util.HexFormat.of().withUpperCase().formatHex(ring.getPublicKey().getFingerprint());
        } catch (IOException | RuntimeException e) {
            throw ProblemException.badRequest("invalid_pgp_key", "not an ASCII-armored OpenPGP public key");
        }
    }

    static String encrypt(byte[] message, String armoredPublicKey) {
        try {
            PGPPublicKeyRing ring = new PGPPublicKeyRing(PGPUtil.getDecoderStream(
                    new ByteArrayInputStream(armoredPublicKey.getBytes(StandardCharsets.US_ASCII))),
                    new BcKeyFingerprintCalculator());
            PGPPublicKey key = null;
            for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext() && key == null;) {
                PGPPublicKey candidate = keys.next();
                key = candidate.isEncryptionKey() && !candidate.hasRevocation() ? candidate : null;
            }
            if (key == null) {
                throw ProblemException.badRequest("pgp_key_cannot_encrypt",
                        "the agent's PGP key has no encryption (sub)key; register one that does");
            }
            PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
                    new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
                            .setSecureRandom(RANDOM));
            generator.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(key));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = new ArmoredOutputStream(out);
                    OutputStream encrypted = generator.open(armored, new byte[4096]);
                    OutputStream literal = new PGPLiteralDataGenerator().open(encrypted, PGPLiteralData.UTF8,
                            "challenge", message.length, new Date())) {
                literal.write(message);
            }
            return out.toString(StandardCharsets.US_ASCII);
        } catch (IOException | PGPException e) {
            throw ProblemException.badRequest("pgp_key_cannot_encrypt", "the agent's PGP key cannot be used to encrypt");
        }
    }
}
