package io.mandate.identity.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.credentials.ApiKey;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.Agent;
import io.mandate.identity.Credential;
import io.mandate.identity.config.IdentityConfig;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.identity.repository.AgentRepository;
import io.mandate.identity.repository.CredentialRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An agent's credentials: API keys (issue, rotate) and public keys (JWK, PGP); list and revoke all. Each change publishes a public event (which key,
 * never what it is) and the key's verifier on the internal credentials topic, in one transaction.
 */
@ApplicationScoped
public class AgentCredentials {

    private final AgentRepository agents;
    private final CredentialRepository credentials;
    private final IdentityEvents events;
    private final IdentityConfig config;
    private final byte[] pepper;
    private final IdempotencyKeys idempotencyKeys;

    AgentCredentials(AgentRepository agents, CredentialRepository credentials, IdentityEvents events,
            IdentityConfig config, @ConfigProperty(name = "mandate.credentials.pepper") String pepper,
            IdempotencyKeys idempotencyKeys) {
        this.agents = agents;
        this.idempotencyKeys = idempotencyKeys;
        this.credentials = credentials;
        this.events = events;
        this.config = config;
        this.pepper = ApiKey.pepper(pepper);
    }

    /** A stored credential and the key it stands for; the key's value leaves the service once. */
    public record IssuedKey(Credential credential, ApiKey apiKey) {
    }

    /** A new key and the one it replaces, which keeps working until its {@code expiresAt}. */
    public record Rotation(IssuedKey issued, Credential replaced) {
    }

    /** Creates an API key for an agent being registered or changed, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public IssuedKey issueApiKey(Agent agent, Actor actor) {
        return issueApiKey(agent, TypeIds.newId("cred"), actor);
    }

    private IssuedKey issueApiKey(Agent agent, String credentialId, Actor actor) {
        ApiKey apiKey = ApiKey.generate();
        Credential credential = new Credential();
        credential.id = credentialId;
        credential.agentId = agent.id;
        credential.tenantId = agent.tenantId;
        credential.kind = Credential.Kind.api_key;
        credential.keyId = apiKey.keyId();
        credential.verifier = apiKey.verifier(pepper);
        credential.status = Credential.Status.active;
        credential.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        credentials.insert(credential);
        events.credentialChanged(IdentityEvents.CREDENTIAL_ADDED, credential, actor);
        events.credentialVerifier(credential, actor);
        return new IssuedKey(credential, apiKey);
    }

    /**
     * A further API key. With an {@code idempotencyKey}, a repeat returns the credential the first
     * call made, without the key's value ({@code apiKey} null): it is shown once.
     */
    @Transactional
    public IdempotencyKeys.Outcome<IssuedKey> addApiKey(String tenantId, String agentId, String idempotencyKey,
            Actor actor) {
        Agent agent = liveAgent(tenantId, agentId);
        String credentialId = TypeIds.newId("cred");
        return idempotencyKeys.once(tenantId, idempotencyKey, "POST /v1/agents/" + agentId + "/credentials/api-keys",
                credentialId, earlier -> new IssuedKey(locked(agentId, earlier), null), () -> {
                    Instant now = Instant.now();
                    long usable = credentials.findByAgent(agentId).stream()
                            .filter(c -> c.kind == Credential.Kind.api_key && usable(c, now)).count();
                    if (usable >= config.maxApiKeys()) {
                        throw ProblemException.conflict("too_many_credentials", "an agent may hold at most "
                                + config.maxApiKeys() + " usable API keys; revoke one first");
                    }
                    return issueApiKey(agent, credentialId, actor);
                });
    }

    /**
     * Registers a public key (already checked by {@link PublicKeys}); a key already registered to any
     * agent is refused, so that one key identifies one agent.
     */
    @Transactional
    public IdempotencyKeys.Outcome<Credential> addPublicKey(String tenantId, String agentId, Credential.Kind kind,
            PublicKeys.Checked key, String idempotencyKey, Actor actor) {
        liveAgent(tenantId, agentId);
        String credentialId = TypeIds.newId("cred");
        return idempotencyKeys.once(tenantId, idempotencyKey, "POST /v1/agents/" + agentId + "/credentials/" + kind
                + " " + key.keyId(), credentialId, earlier -> locked(agentId, earlier),
                () -> addPublicKey(tenantId, agentId, credentialId, kind, key, actor));
    }

    private Credential addPublicKey(String tenantId, String agentId, String credentialId, Credential.Kind kind,
            PublicKeys.Checked key, Actor actor) {
        Instant now = Instant.now();
        long usable = credentials.findByAgent(agentId).stream().filter(c -> c.kind == kind && usable(c, now)).count();
        if (usable >= config.maxApiKeys()) {
            throw ProblemException.conflict("too_many_credentials",
                    "an agent may hold at most " + config.maxApiKeys() + " usable " + kind + " keys; revoke one first");
        }
        if (credentials.keyIdTaken(key.keyId())) {
            throw ProblemException.conflict("credential_exists", "this public key is already registered");
        }
        Credential credential = new Credential();
        credential.id = credentialId;
        credential.agentId = agentId;
        credential.tenantId = tenantId;
        credential.kind = kind;
        credential.keyId = key.keyId();
        credential.algorithm = key.algorithm();
        credential.verifier = key.publicKey();
        credential.status = Credential.Status.active;
        credential.createdAt = now.truncatedTo(ChronoUnit.MICROS);
        credentials.insert(credential);
        events.credentialChanged(IdentityEvents.CREDENTIAL_ADDED, credential, actor);
        events.credentialVerifier(credential, actor);
        return credential;
    }

    public List<Credential> list(String tenantId, String agentId) {
        agents.find(tenantId, agentId).orElseThrow(() -> Agents.notFound(agentId));
        return credentials.findByAgent(agentId);
    }

    /** Stops the key at once. Idempotent. */
    @Transactional
    public Credential revoke(String tenantId, String agentId, String credentialId, Actor actor) {
        agents.findForUpdate(tenantId, agentId).orElseThrow(() -> Agents.notFound(agentId));
        Credential credential = locked(agentId, credentialId);
        if (credential.status == Credential.Status.revoked) {
            return credential;
        }
        credential.status = Credential.Status.revoked;
        credential.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        credentials.save(credential);
        events.credentialChanged(IdentityEvents.CREDENTIAL_REVOKED, credential, actor);
        events.credentialVerifier(credential, actor);
        return credential;
    }

    /**
     * Issues a successor and lets the old key work for {@code grace} more (the configured grace when
     * null), after which token-service refuses it by itself.
     */
    @Transactional
    public Rotation rotate(String tenantId, String agentId, String credentialId, Duration grace, Actor actor) {
        Agent agent = liveAgent(tenantId, agentId);
        Credential old = locked(agentId, credentialId);
        if (old.kind != Credential.Kind.api_key) {
            throw ProblemException.conflict("credential_not_rotatable",
                    "only API keys rotate; register the new public key, then revoke this one");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!usable(old, now)) {
            throw ProblemException.conflict("credential_not_usable", "credential " + credentialId
                    + " is revoked or expired; add a new key instead");
        }
        Instant expires = now.plus(grace == null ? config.keyRotationGrace() : grace);
        if (old.expiresAt == null || expires.isBefore(old.expiresAt)) {
            old.expiresAt = expires;
            credentials.save(old);
            events.credentialVerifier(old, actor);
        }
        return new Rotation(issueApiKey(agent, actor), old);
    }

    /** The agent, locked, if it may take a new credential: not revoked, and not a public client. */
    private Agent liveAgent(String tenantId, String agentId) {
        Agent agent = agents.findForUpdate(tenantId, agentId).orElseThrow(() -> Agents.notFound(agentId));
        if (agent.status == Agent.Status.revoked) {
            throw ProblemException.conflict("agent_revoked", "agent " + agentId + " is revoked; revocation is permanent");
        }
        if (agent.client != null && agent.client.isPublic()) {
            throw ProblemException.conflict("public_client",
                    "agent " + agentId + " is a public client (token_endpoint_auth_method none) and holds no credential");
        }
        return agent;
    }

    private Credential locked(String agentId, String credentialId) {
        return credentials.findForUpdate(agentId, credentialId).orElseThrow(() -> ProblemException.notFound(
                "credential_not_found", "no credential " + credentialId + " on agent " + agentId));
    }

    private static boolean usable(Credential credential, Instant now) {
        return credential.status == Credential.Status.active
                && (credential.expiresAt == null || credential.expiresAt.isAfter(now));
    }
}
