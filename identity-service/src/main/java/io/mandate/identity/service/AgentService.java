package io.mandate.identity.service;

import io.mandate.api.ApiKey;
import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.eventing.Actor;
import io.mandate.identity.Agent;
import io.mandate.identity.Credential;
import io.mandate.identity.config.IdentityConfig;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.identity.repository.AgentRepository;
import io.mandate.identity.repository.CredentialRepository;
import io.mandate.permissions.BadPermissionException;
import io.mandate.permissions.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Registers agents and changes their lifecycle; each change and its event commit together. */
@ApplicationScoped
public class AgentService {

    private final AgentRepository agents;
    private final CredentialRepository credentials;
    private final IdentityEvents events;
    private final IdentityConfig config;
    private final byte[] pepper;

    AgentService(AgentRepository agents, CredentialRepository credentials, IdentityEvents events,
            IdentityConfig config, @ConfigProperty(name = "mandate.credentials.pepper") String pepper) {
        this.agents = agents;
        this.credentials = credentials;
        this.events = events;
        this.config = config;
        this.pepper = ApiKey.pepper(pepper);
    }

    /** A new agent and its first API key; the key's value is returned here and nowhere else. */
    public record Registration(Agent agent, ApiKey apiKey) {
    }

    public record NewAgent(String name, String ownerEmail, String description, List<String> permissions,
            Map<String, Object> metadata, Agent.Tier tier) {
    }

    @Transactional
    public Registration register(String tenantId, NewAgent request, Actor actor) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Agent agent = new Agent();
        agent.id = TypeIds.newId("agt");
        agent.tenantId = tenantId;
        agent.name = request.name().strip();
        agent.ownerEmail = request.ownerEmail().strip().toLowerCase();
        agent.description = request.description();
        agent.permissions = checkPermissions(request.permissions());
        agent.metadata = request.metadata() == null ? Map.of() : request.metadata();
        agent.tier = request.tier() == null ? Agent.Tier.free : request.tier();
        agent.status = Agent.Status.active;
        agent.trustLevel = 1;
        agent.createdAt = now;
        agent.updatedAt = now;
        agents.persist(agent);

        ApiKey apiKey = ApiKey.generate();
        Credential credential = new Credential();
        credential.id = TypeIds.newId("cred");
        credential.agentId = agent.id;
        credential.tenantId = tenantId;
        credential.kind = Credential.Kind.api_key;
        credential.keyId = apiKey.keyId();
        credential.verifier = apiKey.verifier(pepper);
        credential.status = Credential.Status.active;
        credential.createdAt = now;
        credentials.persist(credential);
        agents.flush();

        events.agentChanged(IdentityEvents.AGENT_REGISTERED, agent, actor);
        events.credentialVerifier(credential, actor);
        return new Registration(agent, apiKey);
    }

    public Agent find(String tenantId, String agentId) {
        return agents.findInTenant(tenantId, agentId).orElseThrow(() -> notFound(agentId));
    }

    /** Revokes for good: the agent's tokens stop working and it can never be reactivated. Idempotent. */
    @Transactional
    public Agent revoke(String tenantId, String agentId, Actor actor) {
        Agent agent = agents.findForUpdate(tenantId, agentId).orElseThrow(() -> notFound(agentId));
        if (agent.status == Agent.Status.revoked) {
            return agent;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        agent.status = Agent.Status.revoked;
        agent.revokedAt = now;
        agent.updatedAt = now;
        agents.flush();
        events.agentChanged(IdentityEvents.AGENT_REVOKED, agent, actor);
        return agent;
    }

    private List<String> checkPermissions(List<String> requested) {
        if (requested.size() > config.maxPermissions()) {
            throw ProblemException.invalid("permissions", "at most " + config.maxPermissions() + " permissions");
        }
        try {
            return List.copyOf(new LinkedHashSet<>(requested.stream().map(p -> Permission.parse(p).toString()).toList()));
        } catch (BadPermissionException e) {
            throw new ProblemException(400, "permission_invalid", "Bad Request", e.getMessage(),
                    List.of(new Problem.FieldError("permissions", e.getMessage())));
        }
    }

    private static ProblemException notFound(String agentId) {
        return ProblemException.notFound("agent_not_found", "no agent " + agentId + " in this tenant");
    }
}
