package io.mandate.token.authorize;

import io.mandate.token.AgentProjection;
import io.mandate.token.ResourceProjection;
import io.mandate.token.client.ClientMetadataDocuments;
import io.mandate.token.client.ClientMetadataDocuments.BadClientMetadataException;
import io.mandate.token.client.ClientMetadataDocuments.Document;
import io.mandate.token.client.IdentityClient;
import io.mandate.token.client.ServiceRefused;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.grant.Targets;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.service.ProjectionCache;
import io.mandate.token.service.ProjectionSignal;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Clients nobody registered, that identify themselves by a Client ID Metadata Document (the MCP way): the
 * {@code resource} they ask a token for says which tenant they sign in to; the tenant's policy says whether
 * it takes such clients (any, with a warning on the consent page; only listed hosts; none); the document
 * says who they are. The first time, token-service registers the client with identity-service, like every
 * other client, so that grants, revocation and the audit trail treat it as one.
 */
@ApplicationScoped
public class MetadataClients {

    /** How long the first sign-in of a client waits for identity-service's announcement of it to arrive. */
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(10);

    private final ClientMetadataDocuments documents;
    private final IdentityClient identity;
    private final ProjectionRepository projections;
    private final ProjectionCache cache;
    private final ProjectionSignal signal;
    private final TokenConfig config;

    MetadataClients(ClientMetadataDocuments documents, IdentityClient identity, ProjectionRepository projections,
            ProjectionCache cache, ProjectionSignal signal, TokenConfig config) {
        this.documents = documents;
        this.identity = identity;
        this.projections = projections;
        this.cache = cache;
        this.signal = signal;
        this.config = config;
    }

    /** The client the document at {@code url} describes, in the tenant of the resource {@code parameters} name. */
    AgentProjection client(String url, TokenRequest parameters) {
        String tenantId = tenantOf(Targets.requested(parameters)).orElseThrow(() -> AuthorizationError.onPage(
                "invalid_request", "a client known by its metadata document must name the resource it wants a token "
                        + "for (resource, RFC 8707): it says whom the client is signing in to"));
        String policy = config.tenant(tenantId, TokenConfig.Tenant::clientMetadataDocuments).orElse("any");
        Document document;
        try {
            if (policy.equals("off") || (policy.equals("listed") && !listed(tenantId, hostOf(url)))) {
                throw new BadClientMetadataException("this organisation does not accept clients from " + hostOf(url));
            }
            document = documents.document(url);
        } catch (BadClientMetadataException e) {
            throw AuthorizationError.onPage("invalid_client", e.getMessage());
        }
        Optional<AgentProjection> known = current(url, tenantId, document);
        if (known.isPresent()) {
            return active(known.get());
        }
        String agentId;
        try {
            agentId = identity.registerMetadataClient(tenantId, document);
        } catch (ServiceRefused e) {
            throw AuthorizationError.onPage(e.status() == 409 ? "invalid_client" : "temporarily_unavailable",
                    e.status() == 409 ? "this client was revoked by the organisation" : e.getMessage());
        }
        return signal.awaitPresent("client:" + agentId, () -> projections.findAgent(agentId)
                .filter(agent -> upToDate(agent, document)), REGISTRATION_WAIT).map(this::active)
                .orElseThrow(() -> AuthorizationError.onPage("temporarily_unavailable",
                        "the client is being registered; try again in a moment"));
    }

    /**
     * Whether the consent page may present the client without a warning: it is known by a registered
     * client id, or its document's host is one the tenant lists.
     */
    public boolean vouchedFor(AgentProjection client) {
        return client.clientIdUrl == null || listed(client.tenantId, hostOf(client.clientIdUrl));
    }

    /** The tenant whose registered resource is among {@code audiences}. */
    Optional<String> tenantOf(List<String> audiences) {
        return audiences.stream().map(cache::resource).flatMap(Optional::stream).map((ResourceProjection r) -> r.tenantId)
                .findFirst();
    }

    private Optional<AgentProjection> current(String url, String tenantId, Document document) {
        return projections.findByClientIdUrl(url).stream().filter(agent -> agent.tenantId.equals(tenantId))
                .filter(agent -> upToDate(agent, document)).findFirst();
    }

    private AgentProjection active(AgentProjection agent) {
        if (!agent.isActive()) {
            throw AuthorizationError.onPage("invalid_client", "this client was suspended or revoked by the organisation");
        }
        return agent;
    }

    private static boolean upToDate(AgentProjection agent, Document document) {
        return document.name().equals(agent.name) && document.redirectUris().equals(agent.redirectUris)
                && java.util.Objects.equals(document.logoUri(), agent.logoUri);
    }

    private boolean listed(String tenantId, String host) {
        return config.tenant(tenantId, TokenConfig.Tenant::clientMetadataHosts).orElse(List.of()).stream()
                .anyMatch(listed -> listed.toLowerCase(Locale.ROOT).equals(host));
    }

    private static String hostOf(String url) {
        String host = java.net.URI.create(url).getHost();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }
}
