package io.mandate.resourceserver;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This API's OAuth 2.0 Protected Resource Metadata (RFC 9728): where clients find Mandate and what to ask for. It is
 * served at {@link #path()}, the well-known location for the resource URI, and named in every challenge.
 */
public record ProtectedResourceMetadata(String resource, String issuer, List<String> scopes, String resourceName,
        boolean dpopRequired) {

    public ProtectedResourceMetadata {
        scopes = List.copyOf(scopes);
    }

    /** The document, as JSON members. */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("resource", resource);
        doc.put("authorization_servers", List.of(issuer));
        if (!scopes.isEmpty()) {
            doc.put("scopes_supported", scopes);
        }
        doc.put("bearer_methods_supported", List.of("header"));
        doc.put("dpop_signing_alg_values_supported", List.of("ES256", "EdDSA", "RS256", "PS256"));
        if (dpopRequired) {
            doc.put("dpop_bound_access_tokens_required", true);
        }
        if (resourceName != null) {
            doc.put("resource_name", resourceName);
        }
        return doc;
    }

    /** RFC 9728 §3.1: {@code /.well-known/oauth-protected-resource} followed by the resource URI's path. */
    public String path() {
        String path = URI.create(resource).getRawPath();
        return "/.well-known/oauth-protected-resource" + (path == null || path.equals("/") ? "" : path);
    }

    /** Where the document is served. */
    public String url() {
        URI uri = URI.create(resource);
        return uri.getScheme() + "://" + uri.getRawAuthority() + path();
    }
}
