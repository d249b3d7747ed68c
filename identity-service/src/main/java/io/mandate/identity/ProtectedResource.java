package io.mandate.identity;

import java.time.Instant;
import java.util.List;

/**
 * An API or MCP server a tenant protects with Mandate's tokens: tokens for it carry {@code aud} = its
 * {@code uri} (RFC 8707), only the scopes it lists, and its lifetime and binding.
 */
public class ProtectedResource {

    /** A scope the resource understands, in words, and what it implies within the resource. */
    public record Scope(String scope, String description, List<String> implies) {
    }

    public String id;

    public String tenantId;

    /** The canonical URI (RFC 8707 §2, RFC 9728 {@code resource}). */
    public String uri;

    public String name;

    public List<Scope> scopes = List.of();

    /** Seconds; null for the tenant's default. */
    public Integer accessTokenLifetime;

    /** Tokens for it only with a DPoP proof (RFC 9449): bound to the client's key. */
    public boolean dpopRequired;

    /** token-service serves its RFC 9728 metadata at {@code /.well-known/oauth-protected-resource/<id>}. */
    public boolean metadataHosted;

    /** The claims its tokens carry beyond RFC 9068's ({@code agent_id}, {@code scopes}, ...); null for the tenant's. */
    public List<String> claims;

    public long version;

    public Instant createdAt;

    public Instant updatedAt;
}
