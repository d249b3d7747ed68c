package io.mandate.token.repository;

import io.mandate.eventing.envelope.ResourceSnapshot;
import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import io.mandate.token.ResourceProjection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The {@code resource_projection} rows; an upsert never goes back in version. */
@ApplicationScoped
public class ResourceProjectionRepository {

    private static final String SELECT = "select " + Fields.columns(ResourceProjection.class) + " from resource_projection";

    private final Sql sql;

    ResourceProjectionRepository(Sql sql) {
        this.sql = sql;
    }

    public void apply(ResourceSnapshot resource) {
        if (resource.removed()) {
            sql.update("delete from resource_projection where resource_id = ?1", resource.id());
            return;
        }
        sql.update("""
                insert into resource_projection (resource_id, tenant_id, uri, name, scopes, access_token_lifetime,
                    dpop_required, metadata_hosted, metadata, version, claims)
                values (?1, ?2, ?3, ?4, cast(?5 as text[]), ?6, ?7, ?8, ?9, ?10, cast(?11 as text[]))
                on conflict (resource_id) do update set uri = excluded.uri, name = excluded.name, scopes = excluded.scopes,
                    access_token_lifetime = excluded.access_token_lifetime, dpop_required = excluded.dpop_required,
                    metadata_hosted = excluded.metadata_hosted, metadata = excluded.metadata, version = excluded.version,
                    claims = excluded.claims
                where resource_projection.version < excluded.version""",
                resource.id(), resource.tenantId(), resource.uri(), resource.name(),
                resource.scopes().stream().map(ResourceSnapshot.Scope::scope).toList(), resource.accessTokenLifetime(),
                resource.dpopRequired(), resource.metadataHosted(), resource.metadata(), resource.version(),
                resource.claims());
    }

    /** The resource registered with {@code uri}, of whichever tenant. */
    public Optional<ResourceProjection> findByUri(String uri) {
        return sql.first(SELECT + " where uri = ?1 order by version desc limit 1", Fields.reader(ResourceProjection.class),
                uri);
    }

    /** The RFC 9728 document of a resource whose metadata token-service hosts. */
    public Optional<String> hostedMetadata(String resourceId) {
        return sql.first("select metadata from resource_projection where resource_id = ?1 and metadata_hosted",
                row -> row.string("metadata"), resourceId);
    }
}
