package io.mandate.identity.event;

import io.mandate.eventing.envelope.Actor;
import io.mandate.eventing.envelope.Events;
import io.mandate.eventing.envelope.Topics;
import io.mandate.eventing.outbox.Outbox;
import io.mandate.identity.Agent;
import io.mandate.identity.Credential;
import io.mandate.identity.Human;
import io.mandate.identity.Invitation;
import io.mandate.identity.Tenant;
import io.mandate.identity.mapping.AgentView;
import io.mandate.identity.mapping.HumanView;
import io.mandate.identity.mapping.ResourceView;
import io.mandate.identity.mapping.TenantView;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

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
    public static final String TENANT_CREATED = "tenant.created";
    public static final String PERMISSION_ADDED = "permission.added";
    public static final String PERMISSION_UPDATED = "permission.updated";
    public static final String PERMISSION_REMOVED = "permission.removed";
    public static final String RESOURCE_REGISTERED = "resource.registered";
    public static final String RESOURCE_UPDATED = "resource.updated";
    public static final String RESOURCE_REMOVED = "resource.removed";
    public static final String INVITATION_CREATED = "invitation.created";
    public static final String INVITATION_ACCEPTED = "invitation.accepted";
    public static final String INVITATION_REVOKED = "invitation.revoked";
    public static final String HUMAN_REGISTERED = "human.registered";
    public static final String HUMAN_UPDATED = "human.updated";
    public static final String HUMAN_DISABLED = "human.disabled";
    public static final String HUMAN_VERIFIER = "human.verifier";

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

    /**
     * The tenant's catalogue gained, changed or lost a permission: what it is called in words and what it
     * implies (null and empty once removed). Keyed by tenant, so one tenant's catalogue changes stay in order.
     */
    public void permissionChanged(String type, String tenantId, String permission, String description,
            List<String> implies, Actor actor) {
        outbox.add(Topics.IDENTITY, events.create(type, permission, tenantId, tenantId, actor,
                new PermissionChanged(tenantId, permission, description, implies)));
    }

    /** The resource's whole snapshot, its RFC 9728 metadata included; keyed by resource, so its changes stay in order. */
    public void resourceChanged(String type, ResourceView resource, Actor actor) {
        outbox.add(Topics.IDENTITY, events.create(type, resource.id(), resource.tenantId(), resource.id(), actor,
                new ResourceChanged(resource.tenantId(), resource.id(), resource)));
    }

    /** An invitation made, used or revoked: whom it invites to what, never its link. */
    public void invitationChanged(String type, Invitation invitation, Actor actor) {
        outbox.add(Topics.IDENTITY, events.create(type, invitation.id(), invitation.tenantId(), invitation.tenantId(), actor,
                new InvitationChanged(invitation.tenantId(), invitation.id(), invitation.email(), invitation.roles(),
                        invitation.permissions(), invitation.expiresAt())));
    }

    public void tenantCreated(Tenant tenant, Actor actor) {
        outbox.add(Topics.IDENTITY, events.create(TENANT_CREATED, tenant.id, tenant.id, tenant.id, actor,
                new TenantCreated(tenant.id, TenantView.of(tenant))));
    }

    /** Public: the account as {@link HumanView} shows it, never its password hash. */
    public void humanChanged(String type, Human human, Actor actor) {
        outbox.add(Topics.IDENTITY, events.create(type, human.id, human.tenantId, human.id, actor,
                new HumanChanged(human.tenantId, human.id, HumanView.of(human))));
    }

    /**
     * What token-service needs to sign a human in (username, password hash, IdP subject, roles, status), on the
     * internal compacted topic only, keyed by user id so the newest state is what stays.
     */
    public void humanVerifier(Human human, Actor actor) {
        var verifier = new HumanVerifier(human.tenantId, human.id, human.username, human.email, human.passwordHash,
                human.roles, human.permissions, human.status.name(), human.version, human.externalSubject);
        outbox.add(Topics.IDENTITY_CREDENTIALS, human.id,
                events.create(HUMAN_VERIFIER, human.id, human.tenantId, human.id, actor, verifier));
    }

    record TenantCreated(String tenantId, TenantView tenant) {
    }

    record PermissionChanged(String tenantId, String permission, String description, List<String> implies) {
    }

    record ResourceChanged(String tenantId, String resourceId, ResourceView resource) {
    }

    record InvitationChanged(String tenantId, String invitationId, String email, List<String> roles,
            List<String> permissions, Instant expiresAt) {
    }

    record HumanChanged(String tenantId, String userId, HumanView human) {
    }

    /** {@code externalSubject}: the enterprise IdP's {@code sub} once linked, for the sign-in page's IdP button. */
    record HumanVerifier(String tenantId, String userId, String username, String email, String passwordHash,
            List<String> roles, List<String> permissions, String status, long version, String externalSubject) {
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
