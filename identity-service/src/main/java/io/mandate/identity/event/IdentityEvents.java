package io.mandate.identity.event;

import io.mandate.eventing.Actor;
import io.mandate.eventing.Events;
import io.mandate.eventing.Outbox;
import io.mandate.eventing.Topics;
import io.mandate.identity.Agent;
import io.mandate.identity.Credential;
import io.mandate.identity.mapping.AgentView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * What identity-service publishes, always through the outbox in the caller's transaction. Agent
 * events carry the agent's full snapshot so consumers can keep a projection without calling back.
 */
@ApplicationScoped
public class IdentityEvents {

    public static final String AGENT_REGISTERED = "agent.registered";
    public static final String AGENT_UPDATED = "agent.updated";
    public static final String AGENT_PERMISSIONS_CHANGED = "agent.permissions_changed";
    public static final String AGENT_TIER_CHANGED = "agent.tier_changed";
    public static final String AGENT_SUSPENDED = "agent.suspended";
    public static final String AGENT_REACTIVATED = "agent.reactivated";
    public static final String AGENT_REVOKED = "agent.revoked";
    public static final String CREDENTIAL_ADDED = "agent.credential_added";
    public static final String CREDENTIAL_REVOKED = "agent.credential_revoked";
    public static final String CREDENTIAL_VERIFIER = "credential.verifier";

    private final Events events;
    private final Outbox outbox;

    IdentityEvents(Events events, Outbox outbox) {
        this.events = events;
        this.outbox = outbox;
    }

    public void agentChanged(String type, Agent agent, Actor actor) {
        outbox.add(Topics.IDENTITY, events.create(type, agent.id, agent.tenantId, agent.id, actor,
                new AgentChanged(agent.tenantId, agent.id, AgentView.of(agent))));
    }

    /** A public event that a credential was added or revoked: which one, never what it is. */
    public void credentialChanged(String type, Credential credential, Actor actor) {
        outbox.add(Topics.IDENTITY, events.create(type, credential.id, credential.tenantId, credential.agentId, actor,
                new CredentialChanged(credential.tenantId, credential.agentId, credential.id, credential.kind.name(),
                        credential.prefix(), credential.status.name(), credential.expiresAt)));
    }

    /** The verifier goes to the internal compacted topic only, keyed by credential id. */
    public void credentialVerifier(Credential credential, Actor actor) {
        var verifier = new CredentialVerifier(credential.tenantId, credential.id, credential.agentId,
                credential.kind.name(), credential.keyId, credential.verifier, credential.status.name(),
                credential.expiresAt);
        outbox.add(Topics.IDENTITY_CREDENTIALS, credential.id,
                events.create(CREDENTIAL_VERIFIER, credential.id, credential.tenantId, credential.agentId, actor, verifier));
    }

    record AgentChanged(String tenantId, String agentId, AgentView agent) {
    }

    record CredentialVerifier(String tenantId, String credentialId, String agentId, String kind, String keyId,
            String verifier, String status, Instant expiresAt) {
    }

    record CredentialChanged(String tenantId, String agentId, String credentialId, String kind, String prefix,
            String status, Instant expiresAt) {
    }
}
