package io.mandate.eventing.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent snapshot identity-service puts in every {@code agent.*} event ({@code data.agent}), as
 * the services that keep an agent projection read it. {@code version} orders snapshots of one agent.
 * {@code client} is null for an agent that signs nobody in through the browser; {@code metadata} is the
 * agent's metadata object as JSON text ({@code {}} when it has none).
 */
public record AgentSnapshot(String id, String tenantId, String name, String ownerEmail, String status,
        List<String> permissions, String tier, int trustLevel, long version, Client client, String metadata) {

    /**
     * The agent's OAuth client settings for the browser flows; {@code clientIdUrl} is the URL of the Client ID
     * Metadata Document it identifies itself by (its {@code client_id}), or null; {@code registration} how a
     * client that registered itself did ({@code metadata_document}, {@code dynamic}), or null.
     */
    public record Client(String type, List<String> redirectUris, String logoUri, String tokenEndpointAuthMethod,
            String clientIdUrl, String registration) {
    }

    /**
     * The snapshot {@code event} carries; empty for events that carry none.
     *
     * @throws BadEventException when the snapshot lacks its id, tenant or status
     */
    public static Optional<AgentSnapshot> of(CloudEvent event) {
        JsonNode agent = event.data() == null ? null : event.data().get("agent");
        if (!event.type().startsWith("agent.") || agent == null || !agent.isObject()) {
            return Optional.empty();
        }
        String id = agent.path("id").asText(null);
        String tenantId = agent.path("tenant_id").asText(null);
        String status = agent.path("status").asText(null);
        if (id == null || tenantId == null || status == null) {
            throw new BadEventException(event.type() + " without agent id, tenant_id or status");
        }
        return Optional.of(new AgentSnapshot(id, tenantId, agent.path("name").asText(null),
                agent.path("owner_email").asText(null), status, strings(agent.path("permissions")),
                agent.path("tier").asText(null), agent.path("trust_level").asInt(1), agent.path("version").asLong(),
                client(event, agent.path("client")),
                agent.path("metadata").isObject() ? agent.path("metadata").toString() : "{}"));
    }

    private static Client client(CloudEvent event, JsonNode client) {
        if (!client.isObject()) {
            return null;
        }
        String type = client.path("type").asText(null);
        String method = client.path("token_endpoint_auth_method").asText(null);
        List<String> redirectUris = strings(client.path("redirect_uris"));
        if (type == null || method == null || redirectUris.isEmpty()) {
            throw new BadEventException(event.type() + " with a client lacking its type, method or redirect URIs");
        }
        return new Client(type, redirectUris, client.path("logo_uri").asText(null), method,
                client.path("client_id_url").asText(null), client.path("registration").asText(null));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return List.copyOf(values);
    }
}
