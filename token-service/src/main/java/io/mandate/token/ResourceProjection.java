package io.mandate.token;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A resource a tenant protects, as identity-service last announced it: what tokens for it must be. */
public class ResourceProjection {

    public String resourceId;

    public String tenantId;

    /** The canonical URI: {@code aud} of its tokens. */
    public String uri;

    public String name;

    /** The scopes it understands; their implications are in the tenant's scope catalogue. */
    public List<String> scopes;

    /** Seconds, or null for the tenant's default. */
    public Integer accessTokenLifetime;

    public boolean dpopRequired;

    public boolean metadataHosted;

    /** Its RFC 9728 metadata document (JSON). */
    public String metadata;

    /** The claims its tokens carry beyond RFC 9068's; empty for the tenant's profile. */
    public List<String> claims;

    public long version;

    public Optional<Duration> lifetime() {
        return Optional.ofNullable(accessTokenLifetime).map(Duration::ofSeconds);
    }
}
