package io.mandate.eventing.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The protected resource identity-service puts in every {@code resource.*} event ({@code data.resource}),
 * as the services that keep a projection of it read it. {@code version} orders snapshots of one resource;
 * {@code removed} for {@code resource.removed}. {@code metadata} is its RFC 9728 document, as JSON text;
 * {@code claims} the claim profile its tokens carry, or null for the tenant's.
 */
public record ResourceSnapshot(String id, String tenantId, String uri, String name, List<Scope> scopes,
        Integer accessTokenLifetime, boolean dpopRequired, boolean metadataHosted, String metadata, long version,
        boolean removed, List<String> claims) {

    /** A scope the resource understands, in words, and what it implies. */
    public record Scope(String scope, String description, List<String> implies) {
    }

    /**
     * The snapshot {@code event} carries; empty for events of other types.
     *
     * @throws BadEventException when the snapshot lacks its id, tenant, URI or version
     */
    public static Optional<ResourceSnapshot> of(CloudEvent event) {
        JsonNode resource = event.data() == null ? null : event.data().get("resource");
        if (!event.type().startsWith("resource.")) {
            return Optional.empty();
        }
        if (resource == null || !resource.path("id").isTextual() || !resource.path("tenant_id").isTextual()
                || !resource.path("uri").isTextual() || !resource.path("version").canConvertToLong()) {
            throw new BadEventException(event.type() + " without the resource's id, tenant_id, uri or version");
        }
        List<Scope> scopes = new ArrayList<>();
        for (JsonNode scope : resource.path("scopes")) {
            scopes.add(new Scope(scope.path("scope").asText(), scope.path("description").asText(null),
                    strings(scope.path("implies"))));
        }
        JsonNode lifetime = resource.path("access_token_lifetime");
        JsonNode metadata = resource.path("protected_resource_metadata");
        return Optional.of(new ResourceSnapshot(resource.path("id").asText(), resource.path("tenant_id").asText(),
                resource.path("uri").asText(), resource.path("name").asText(null), List.copyOf(scopes),
                lifetime.canConvertToInt() ? lifetime.asInt() : null, resource.path("dpop_required").asBoolean(),
                resource.path("metadata_hosted").asBoolean(), metadata.isObject() ? metadata.toString() : null,
                resource.path("version").asLong(), event.type().equals("resource.removed"),
                resource.path("claims").isArray() ? strings(resource.path("claims")) : null));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return List.copyOf(values);
    }
}
