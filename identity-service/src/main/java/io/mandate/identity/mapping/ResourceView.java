package io.mandate.identity.mapping;

import com.nimbusds.jose.JWSAlgorithm;
import io.mandate.identity.ProtectedResource;
import io.mandate.jose.ClientSignatures;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protected resource as callers and event consumers see it, with its RFC 9728 metadata document:
 * what the resource serves at {@code /.well-known/oauth-protected-resource} (or token-service for it).
 */
public record ResourceView(
        String id,
        String tenantId,
        String uri,
        String name,
        List<ProtectedResource.Scope> scopes,
        Integer accessTokenLifetime,
        boolean dpopRequired,
        boolean metadataHosted,
        List<String> claims,
        Map<String, Object> protectedResourceMetadata,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /** The DPoP proof algorithms token-service accepts. */
    private static final List<String> DPOP_ALGORITHMS = ClientSignatures.ALGORITHMS.stream().map(JWSAlgorithm::getName)
            .sorted().toList();

    public static ResourceView of(ProtectedResource resource, String issuer) {
        return new ResourceView(resource.id, resource.tenantId, resource.uri, resource.name, resource.scopes,
                resource.accessTokenLifetime, resource.dpopRequired, resource.metadataHosted, resource.claims,
                metadata(resource, issuer),
                resource.version, resource.createdAt, resource.updatedAt);
    }

    private static Map<String, Object> metadata(ProtectedResource resource, String issuer) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resource", resource.uri);
        metadata.put("authorization_servers", List.of(issuer));
        metadata.put("scopes_supported", resource.scopes.stream().map(ProtectedResource.Scope::scope).toList());
        metadata.put("bearer_methods_supported", List.of("header"));
        if (resource.name != null) {
            metadata.put("resource_name", resource.name);
        }
        metadata.put("dpop_signing_alg_values_supported", DPOP_ALGORITHMS);
        metadata.put("dpop_bound_access_tokens_required", resource.dpopRequired);
        return metadata;
    }
}
