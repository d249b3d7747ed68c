package io.mandate.token.grant;

import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.sql.Sql;
import io.mandate.token.AgentProjection;
import io.mandate.token.client.IdentityClient;
import io.mandate.token.client.ServiceRefused;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.service.AddressLimiter;
import io.mandate.token.service.ProjectionSignal;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Agents that onboard themselves with nothing but an OpenPGP public key (SWARM), where the tenant allows it
 * ({@code agent-self-registration: open}; off by default). The key gets a one-time secret encrypted to it;
 * whoever sends the secret back holds the private key, and the agent is then registered with identity-service
 * (trust level 3, the tenant's self-registration permissions, the key as its credential) and gets tokens.
 * Limited per client address; audited by the agent's own {@code agent.registered} and {@code agent.verified}.
 */
@ApplicationScoped
public class PgpRegistrations {

    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(10);

    /** What an onboarding agent gets first: the challenge to decrypt, and its key's fingerprint. */
    public record Started(String challengeId, String encryptedChallenge, String fingerprint, Instant expiresAt) {
    }

    private final Sql sql;
    private final TokenConfig config;
    private final IdentityClient identity;
    private final ProjectionRepository projections;
    private final ProjectionSignal signal;
    private final AddressLimiter limiter;

    PgpRegistrations(Sql sql, TokenConfig config, IdentityClient identity, ProjectionRepository projections,
            ProjectionSignal signal, AddressLimiter limiter) {
        this.sql = sql;
        this.config = config;
        this.identity = identity;
        this.projections = projections;
        this.signal = signal;
        this.limiter = limiter;
    }

    /** Step one: a challenge encrypted to {@code publicKey}, for the tenant named (or the default one). */
    @Transactional
    public Started start(String publicKey, String name, String tenantId, String address) {
        limiter.acquire("agent", address);
        String tenant = tenantId != null ? tenantId : config.registration().defaultTenant().orElse(null);
        if (tenant == null || !"open".equals(config.tenant(tenant, TokenConfig.Tenant::agentSelfRegistration).orElse("off"))) {
            throw ProblemException.forbidden("self_registration_off", "this organisation does not take agents that "
                    + "register themselves");
        }
        String fingerprint = PgpChallenges.fingerprint(publicKey);
        if (projections.findCredential(fingerprint).isPresent()) {
            throw ProblemException.conflict("credential_exists",
                    "this key is already an agent's: prove it with /v1/auth/pgp/challenge and the agent's id");
        }
        String secret = "mandate-pgp-registration:" + TypeIds.randomToken(32);
        String encrypted = PgpChallenges.encrypt(secret.getBytes(StandardCharsets.UTF_8), publicKey);
        String id = TypeIds.newId("pgpr");
        Instant expiresAt = Instant.now().plus(LIFETIME).truncatedTo(ChronoUnit.MICROS);
        sql.update("""
                insert into pgp_registration (id, tenant_id, name, public_key, fingerprint, secret_hash, expires_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""", id, tenant, name, publicKey, fingerprint, Sha256.of(secret),
                expiresAt);
        return new Started(id, encrypted, fingerprint, expiresAt);
    }

    /**
     * Step two: the secret back, once (right or wrong) within five minutes → the agent registered, and what
     * proved it.
     */
    @Transactional(dontRollbackOn = OAuthException.class)
    public PgpChallenges.Proven finish(String challengeId, String response) {
        record Pending(String tenantId, String name, String publicKey, String fingerprint, byte[] secretHash,
                Instant expiresAt, Instant usedAt) {
        }
        Pending row = sql.first("""
                select tenant_id, name, public_key, fingerprint, secret_hash, expires_at, used_at from pgp_registration
                where id = ?1 for update""",
                r -> new Pending(r.string("tenant_id"), r.string("name"), r.string("public_key"), r.string("fingerprint"),
                        r.bytes("secret_hash"), r.instant("expires_at"), r.instant("used_at")), challengeId)
                .orElseThrow(() -> OAuthException.invalidGrant("unknown challenge"));
        if (row.usedAt() != null || !Instant.now().isBefore(row.expiresAt())) {
            throw OAuthException.invalidGrant("the challenge was used or has expired; start again");
        }
        sql.update("update pgp_registration set used_at = now() where id = ?1", challengeId);
        if (!MessageDigest.isEqual(row.secretHash(), Sha256.of(response))) {
            throw OAuthException.invalidGrant("the answer does not match the challenge");
        }
        List<String> permissions = config.tenant(row.tenantId(), TokenConfig.Tenant::selfRegisteredPermissions)
                .orElse(List.of());
        IdentityClient.RegisteredAgent registered;
        try {
            registered = identity.registerPgpAgent(row.tenantId(), row.name(), row.publicKey(), permissions);
        } catch (ServiceRefused e) {
            throw e.status() / 100 == 4 ? OAuthException.invalidGrant(e.getMessage())
                    : new OAuthException(503, "temporarily_unavailable", e.getMessage());
        }
        AgentProjection agent = signal.awaitPresent("agent:" + registered.agentId(),
                () -> projections.findAgent(registered.agentId()).filter(a -> projections
                        .findCredentialById(registered.credentialId()).isPresent()), REGISTRATION_WAIT)
                .orElseThrow(() -> new OAuthException(503, "temporarily_unavailable",
                        "the agent is registered but not known here yet; prove the key with /v1/auth/pgp/challenge"));
        return new PgpChallenges.Proven(agent, registered.credentialId(), registered.fingerprint());
    }
}
