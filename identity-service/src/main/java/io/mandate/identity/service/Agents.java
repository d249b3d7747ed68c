package io.mandate.identity.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.credentials.ApiKey;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.Agent;
import io.mandate.identity.Credential;
import io.mandate.identity.OAuthClient;
import io.mandate.identity.config.IdentityConfig;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.identity.repository.AgentRepository;
import io.mandate.identity.repository.TenantRepository;
import io.mandate.permissions.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Registers agents and changes their lifecycle; each change and its event commit together. */
@ApplicationScoped
public class Agents {

    private final AgentRepository agents;
    private final AgentCredentials agentCredentials;
    private final IdempotencyKeys idempotencyKeys;
    private final IdentityEvents events;
    private final IdentityConfig config;
    private final PermissionCatalogue catalogue;
    private final TenantRepository tenants;

    Agents(AgentRepository agents, AgentCredentials agentCredentials, IdempotencyKeys idempotencyKeys,
            IdentityEvents events, IdentityConfig config, PermissionCatalogue catalogue, TenantRepository tenants) {
        this.tenants = tenants;
        this.agents = agents;
        this.agentCredentials = agentCredentials;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
        this.config = config;
        this.catalogue = catalogue;
    }

    /**
     * A new agent and its first API key; the key's value is returned here and nowhere else. A replay
     * of the same Idempotency-Key returns the agent without a key ({@code apiKey} null).
     */
    public record Registration(Agent agent, ApiKey apiKey, boolean replayed) {
    }

    /** {@code client} may be null: an agent that gets tokens only for itself. */
    public record NewAgent(String name, String ownerEmail, String description, List<String> permissions,
            Map<String, Object> metadata, Agent.Tier tier, OAuthClient client) {
    }

    @Transactional
    public Registration register(String tenantId, NewAgent request, String idempotencyKey, Actor actor) {
        if (tenants.find(tenantId).isEmpty()) {
            throw Tenants.notFound(tenantId);
        }
        String agentId = TypeIds.newId("agt");
        return idempotencyKeys.once(tenantId, idempotencyKey, request.toString(), agentId,
                earlier -> new Registration(find(tenantId, earlier), null, true),
                () -> newAgent(tenantId, agentId, request, actor)).value();
    }

    private Registration newAgent(String tenantId, String agentId, NewAgent request, Actor actor) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Agent agent = new Agent();
        agent.id = agentId;
        agent.tenantId = tenantId;
        agent.name = request.name().strip();
        agent.ownerEmail = request.ownerEmail().strip().toLowerCase();
        agent.description = request.description();
        agent.permissions = checkPermissions(tenantId, request.permissions());
        agent.metadata = request.metadata() == null ? Map.of() : request.metadata();
        agent.tier = request.tier() == null ? Agent.Tier.free : request.tier();
        agent.client = request.client() == null ? null : OAuthClients.checked(request.client());
        agent.status = Agent.Status.active;
        agent.trustLevel = 1;
        agent.createdAt = now;
        agent.updatedAt = now;
        agents.insert(agent);
        events.agentChanged(IdentityEvents.AGENT_REGISTERED, agent, actor);
        if (agent.client != null && agent.client.isPublic()) {
            return new Registration(agent, null, false);
        }
        return new Registration(agent, agentCredentials.issueApiKey(agent, actor).apiKey(), false);
    }

    /** A client as its Client ID Metadata Document (at {@code url}) describes it. */
    public record MetadataClient(String url, String name, List<String> redirectUris, String logoUri) {
    }

    /**
     * The tenant's client for a metadata document: registered the first time (a public app holding
     * {@code *}, so that only what a person consents to bounds its tokens; no owner), its name, redirect
     * URIs and logo kept as the document now says. A client a tenant admin revoked stays revoked (409).
     *
     * @return the agent, and whether this call registered it
     */
    @Transactional
    public Registration registerMetadataClient(String tenantId, MetadataClient document, Actor actor) {
        if (tenants.find(tenantId).isEmpty()) {
            throw Tenants.notFound(tenantId);
        }
        OAuthClient settings = OAuthClients.checked(new OAuthClient("app", document.redirectUris(), document.logoUri(),
                "none", null, null));
        OAuthClient client = new OAuthClient(settings.type(), settings.redirectUris(), settings.logoUri(),
                settings.tokenEndpointAuthMethod(), document.url(), OAuthClient.METADATA_DOCUMENT);
        String name = document.name() == null || document.name().isBlank() ? document.url() : document.name().strip();
        Optional<Agent> known = agents.findByClientIdUrlForUpdate(tenantId, document.url());
        if (known.isPresent()) {
            return new Registration(change(known.get(), actor, IdentityEvents.AGENT_UPDATED, agent -> {
                boolean changed = !name.equals(agent.name) || !client.equals(agent.client);
                agent.name = name;
                agent.client = client;
                return changed;
            }), null, true);
        }
        return selfRegistered(tenantId, name, "Client ID Metadata Document at " + document.url(), client, actor);
    }

    /** A client as it registered itself (RFC 7591): its name, redirect URIs, logo and token endpoint method. */
    public record DynamicClient(String name, List<String> redirectUris, String logoUri, String tokenEndpointAuthMethod) {
    }

    /**
     * A client that registered itself through token-service (RFC 7591): an app holding {@code *} that gets
     * tokens only through a person's consent, with an API key (its client secret) unless it is public.
     */
    @Transactional
    public Registration registerDynamicClient(String tenantId, DynamicClient request, Actor actor) {
        if (tenants.find(tenantId).isEmpty()) {
            throw Tenants.notFound(tenantId);
        }
        OAuthClient settings = OAuthClients.checked(new OAuthClient("app", request.redirectUris(), request.logoUri(),
                request.tokenEndpointAuthMethod() == null ? "client_secret_basic" : request.tokenEndpointAuthMethod(),
                null, null));
        OAuthClient client = new OAuthClient(settings.type(), settings.redirectUris(), settings.logoUri(),
                settings.tokenEndpointAuthMethod(), null, OAuthClient.DYNAMIC);
        String name = request.name() == null || request.name().isBlank() ? "Dynamically registered client"
                : request.name().strip();
        return selfRegistered(tenantId, name, "Registered dynamically (RFC 7591)", client, actor);
    }

    /**
     * An agent that registered itself with nothing but an OpenPGP key whose private half it proved to
     * token-service (SWARM): the tenant's self-registration permissions, trust level 3, the key as its
     * credential. A key already registered to any agent is refused (409 {@code credential_exists}), and
     * then nothing is stored.
     */
    public record PgpAgent(Agent agent, Credential credential) {
    }

    @Transactional
    public PgpAgent registerPgpAgent(String tenantId, String name, PublicKeys.Checked key, List<String> permissions,
            Actor actor) {
        if (tenants.find(tenantId).isEmpty()) {
            throw Tenants.notFound(tenantId);
        }
        Agent agent = ownerless(tenantId, name == null || name.isBlank() ? "agent " + key.keyId().substring(0, 16)
                : name.strip(), "Registered itself with OpenPGP key " + key.keyId(), checkPermissions(tenantId, permissions),
                null, 3, actor);
        Credential credential = agentCredentials.addPublicKey(tenantId, agent.id, Credential.Kind.pgp, key, null, actor)
                .value();
        return new PgpAgent(agent, credential);
    }

    /** A client that registered itself: holds {@code *}, bounded by what people consent to; a key unless public. */
    private Registration selfRegistered(String tenantId, String name, String description, OAuthClient client,
            Actor actor) {
        Agent agent = ownerless(tenantId, name, description, List.of(Scope.EVERYTHING), client, 1, actor);
        if (client.isPublic()) {
            return new Registration(agent, null, false);
        }
        return new Registration(agent, agentCredentials.issueApiKey(agent, actor).apiKey(), false);
    }

    /** An agent nobody owns (it registered itself through token-service), registered and announced. */
    private Agent ownerless(String tenantId, String name, String description, List<String> permissions,
            OAuthClient client, int trustLevel, Actor actor) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Agent agent = new Agent();
        agent.id = TypeIds.newId("agt");
        agent.tenantId = tenantId;
        agent.name = name;
        agent.ownerEmail = "";
        agent.description = description;
        agent.permissions = permissions;
        agent.metadata = Map.of();
        agent.tier = Agent.Tier.free;
        agent.client = client;
        agent.status = Agent.Status.active;
        agent.trustLevel = (short) trustLevel;
        agent.createdAt = now;
        agent.updatedAt = now;
        agents.insert(agent);
        events.agentChanged(IdentityEvents.AGENT_REGISTERED, agent, actor);
        return agent;
    }

    public Agent find(String tenantId, String agentId) {
        return agents.find(tenantId, agentId).orElseThrow(() -> notFound(agentId));
    }

    /** Changes to name, description, metadata and client settings (replaced whole); null leaves a field as it is. */
    public record Changes(String name, String description, Map<String, Object> metadata, OAuthClient client) {
    }

    public record Filter(Agent.Status status, Agent.Tier tier, String ownerEmail) {
    }

    public List<Agent> list(String tenantId, Filter filter, Page.After after, int limit) {
        return agents.list(tenantId, filter.status(), filter.tier(),
                filter.ownerEmail() == null ? null : filter.ownerEmail().strip().toLowerCase(), after, limit);
    }

    @Transactional
    public Agent update(String tenantId, String agentId, Changes changes, Actor actor) {
        return change(locked(tenantId, agentId), actor, IdentityEvents.AGENT_UPDATED, agent -> {
            boolean changed = false;
            if (changes.name() != null && !changes.name().strip().equals(agent.name)) {
                agent.name = changes.name().strip();
                changed = true;
            }
            if (changes.description() != null && !changes.description().equals(agent.description)) {
                agent.description = changes.description();
                changed = true;
            }
            if (changes.metadata() != null && !changes.metadata().equals(agent.metadata)) {
                agent.metadata = changes.metadata();
                changed = true;
            }
            OAuthClient client = changes.client() == null ? null : OAuthClients.checked(changes.client());
            if (client != null && !client.equals(agent.client)) {
                agent.client = client;
                changed = true;
            }
            return changed;
        });
    }

    @Transactional
    public Agent setPermissions(String tenantId, String agentId, List<String> permissions, Actor actor) {
        List<String> checked = checkPermissions(tenantId, permissions);
        return change(locked(tenantId, agentId), actor, IdentityEvents.AGENT_PERMISSIONS_CHANGED, agent -> {
            if (checked.equals(agent.permissions)) {
                return false;
            }
            agent.permissions = checked;
            return true;
        });
    }

    @Transactional
    public Agent setTier(String tenantId, String agentId, Agent.Tier tier, Actor actor) {
        return change(locked(tenantId, agentId), actor, IdentityEvents.AGENT_TIER_CHANGED, agent -> {
            if (agent.tier == tier) {
                return false;
            }
            agent.tier = tier;
            return true;
        });
    }

    /** Stops the agent's tokens until it is reactivated. Idempotent. */
    @Transactional
    public Agent suspend(String tenantId, String agentId, Actor actor) {
        return changeStatus(tenantId, agentId, Agent.Status.suspended, IdentityEvents.AGENT_SUSPENDED, actor);
    }

    /** Lifts a suspension. Idempotent; a revoked agent stays revoked (409). */
    @Transactional
    public Agent reactivate(String tenantId, String agentId, Actor actor) {
        return changeStatus(tenantId, agentId, Agent.Status.active, IdentityEvents.AGENT_REACTIVATED, actor);
    }

    private Agent changeStatus(String tenantId, String agentId, Agent.Status target, String eventType, Actor actor) {
        return change(locked(tenantId, agentId), actor, eventType, agent -> {
            if (agent.status == target) {
                return false;
            }
            agent.status = target;
            return true;
        });
    }

    /** Revokes for good: the agent's tokens stop working and it can never be reactivated. Idempotent. */
    @Transactional
    public Agent revoke(String tenantId, String agentId, Actor actor) {
        Agent agent = locked(tenantId, agentId);
        if (agent.status == Agent.Status.revoked) {
            return agent;
        }
        return change(agent, actor, IdentityEvents.AGENT_REVOKED, revoking -> {
            revoking.status = Agent.Status.revoked;
            revoking.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            return true;
        });
    }

    /** Raises the trust level to {@code level} (never lowers it); {@code agent.updated} when it rose. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Agent raiseTrust(String tenantId, String agentId, int level, Actor actor) {
        return change(locked(tenantId, agentId), actor, IdentityEvents.AGENT_UPDATED, agent -> {
            if (agent.trustLevel >= level) {
                return false;
            }
            agent.trustLevel = (short) level;
            return true;
        });
    }

    /** The agent, row-locked so that concurrent changes commit, and publish, one after the other. */
    private Agent locked(String tenantId, String agentId) {
        return agents.findForUpdate(tenantId, agentId).orElseThrow(() -> notFound(agentId));
    }

    /**
     * Applies {@code mutation} to the locked agent; if it changed something, stamps and saves it (under
     * the next version) and publishes {@code eventType} with the new snapshot, all in one transaction.
     */
    private Agent change(Agent agent, Actor actor, String eventType, Predicate<Agent> mutation) {
        if (agent.status == Agent.Status.revoked) {
            throw ProblemException.conflict("agent_revoked", "agent " + agent.id + " is revoked; revocation is permanent");
        }
        if (!mutation.test(agent)) {
            return agent;
        }
        agent.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        agents.save(agent);
        events.agentChanged(eventType, agent, actor);
        return agent;
    }

    private List<String> checkPermissions(String tenantId, List<String> requested) {
        List<String> checked = PermissionLists.checked(requested, config.maxPermissions());
        catalogue.requireKnown(tenantId, checked);
        return checked;
    }

    static ProblemException notFound(String agentId) {
        return ProblemException.notFound("agent_not_found", "no agent " + agentId + " in this tenant");
    }
}
