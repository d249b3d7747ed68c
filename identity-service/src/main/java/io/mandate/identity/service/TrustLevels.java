package io.mandate.identity.service;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import io.mandate.api.IdempotencyKeys;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.Agent;
import io.mandate.identity.Credential;
import io.mandate.identity.KeyChallenge;
import io.mandate.identity.repository.CredentialRepository;
import io.mandate.jose.ClientSignatures;
import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Trust levels (SWARM): 1 when registered, 2 once the owner vouches for the agent, 3 once the agent
 * signed a one-time challenge with the private key of one of its registered JWKs. Levels only rise;
 * each rise publishes {@code agent.updated} with the snapshot, so tokens carry the new level.
 */
@ApplicationScoped
public class TrustLevels {

    private static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);

    private final Agents agents;
    private final CredentialRepository credentials;
    private final Sql sql;
    private final IdempotencyKeys idempotencyKeys;

    TrustLevels(Agents agents, CredentialRepository credentials, Sql sql,
            IdempotencyKeys idempotencyKeys) {
        this.agents = agents;
        this.idempotencyKeys = idempotencyKeys;
        this.credentials = credentials;
        this.sql = sql;
    }

    @Transactional
    public Agent ownerVerified(String tenantId, String agentId, Actor actor) {
        return agents.raiseTrust(tenantId, agentId, 2, actor);
    }

    @Transactional
    public IdempotencyKeys.Outcome<KeyChallenge> challenge(String tenantId, String agentId, String idempotencyKey) {
        Agent agent = agents.find(tenantId, agentId);
        if (agent.status == Agent.Status.revoked) {
            throw ProblemException.conflict("agent_revoked", "agent " + agentId + " is revoked; revocation is permanent");
        }
        String id = TypeIds.newId("chl");
        return idempotencyKeys.once(tenantId, idempotencyKey, "POST /v1/agents/" + agentId + "/key-challenges", id,
                earlier -> findChallenge(earlier, false).orElseThrow(), () -> newChallenge(id, agentId));
    }

    private KeyChallenge newChallenge(String id, String agentId) {
        KeyChallenge challenge = new KeyChallenge();
        challenge.id = id;
        challenge.agentId = agentId;
        challenge.nonce = TypeIds.randomToken(32);
        challenge.expiresAt = Instant.now().plus(CHALLENGE_LIFETIME).truncatedTo(ChronoUnit.MICROS);
        sql.insert("key_challenge", challenge);
        return challenge;
    }

    private Optional<KeyChallenge> findChallenge(String id, boolean forUpdate) {
        return sql.first("select " + Fields.columns(KeyChallenge.class) + " from key_challenge where id = ?1"
                + (forUpdate ? " for update" : ""), Fields.reader(KeyChallenge.class), id);
    }

    /**
     * Checks a compact JWS over the challenge's value, signed with the private key of the agent's
     * active JWK credential {@code credentialId}. The challenge is spent by the first answer, right or
     * wrong (no retries against the same value).
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Agent prove(String tenantId, String agentId, String challengeId, String credentialId, String signature,
            Actor actor) {
        agents.find(tenantId, agentId);
        KeyChallenge challenge = findChallenge(challengeId, true).orElse(null);
        if (challenge == null || !challenge.agentId.equals(agentId)) {
            throw ProblemException.notFound("challenge_not_found", "no challenge " + challengeId + " for this agent");
        }
        Instant now = Instant.now();
        if (challenge.usedAt != null || challenge.expiresAt.isBefore(now)) {
            throw ProblemException.conflict("challenge_spent", "the challenge was already answered or has expired");
        }
        challenge.usedAt = now.truncatedTo(ChronoUnit.MICROS);
        sql.update("update key_challenge set used_at = ?2 where id = ?1", challenge.id, challenge.usedAt);
        Credential credential = credentials.findForUpdate(agentId, credentialId)
                .filter(c -> c.kind == Credential.Kind.jwk && c.status == Credential.Status.active)
                .orElseThrow(() -> ProblemException.notFound("credential_not_found",
                        "no active JWK credential " + credentialId + " on agent " + agentId));
        if (!signedBy(signature, challenge.nonce, credential.verifier)) {
            throw ProblemException.badRequest("proof_invalid",
                    "the signature is not a JWS over the challenge made with this credential's private key");
        }
        return agents.raiseTrust(tenantId, agentId, 3, actor);
    }

    static boolean signedBy(String compactJws, String expectedPayload, String publicJwk) {
        try {
            JWSObject jws = JWSObject.parse(compactJws);
            return expectedPayload.equals(jws.getPayload().toString())
                    && ClientSignatures.verify(jws, JWK.parse(publicJwk));
        } catch (ParseException e) {
            return false;
        }
    }
}
