package io.mandate.identity.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.identity.ProtectedResource;
import io.mandate.sql.Row;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The {@code protected_resource} rows; the scopes are a JSON array of {@code {scope, description, implies}}. */
@ApplicationScoped
public class ProtectedResourceRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ProtectedResource.Scope>> SCOPES = new TypeReference<>() {
    };
    private static final String SELECT = """
            select id, tenant_id, uri, name, scopes::text as scopes, access_token_lifetime, dpop_required, metadata_hosted,
                   claims, version, created_at, updated_at from protected_resource""";

    private final Sql sql;

    ProtectedResourceRepository(Sql sql) {
        this.sql = sql;
    }

    public void insert(ProtectedResource r) {
        sql.update("""
                insert into protected_resource (id, tenant_id, uri, name, scopes, access_token_lifetime, dpop_required,
                    metadata_hosted, version, created_at, updated_at, claims)
                values (?1, ?2, ?3, ?4, cast(?5 as jsonb), ?6, ?7, ?8, ?9, ?10, ?11, cast(?12 as text[]))""",
                r.id, r.tenantId, r.uri, r.name, json(r.scopes), r.accessTokenLifetime, r.dpopRequired, r.metadataHosted,
                r.version, r.createdAt, r.updatedAt, r.claims);
    }

    public void update(ProtectedResource r) {
        sql.update("""
                update protected_resource set uri = ?2, name = ?3, scopes = cast(?4 as jsonb), access_token_lifetime = ?5,
                    dpop_required = ?6, metadata_hosted = ?7, version = ?8, updated_at = ?9, claims = cast(?10 as text[])
                where id = ?1""",
                r.id, r.uri, r.name, json(r.scopes), r.accessTokenLifetime, r.dpopRequired, r.metadataHosted, r.version,
                r.updatedAt, r.claims);
    }

    public boolean delete(String tenantId, String id) {
        return sql.update("delete from protected_resource where tenant_id = ?1 and id = ?2", tenantId, id) == 1;
    }

    public Optional<ProtectedResource> find(String tenantId, String id) {
        return sql.first(SELECT + " where tenant_id = ?1 and id = ?2", ProtectedResourceRepository::resource, tenantId, id);
    }

    /** Whether another resource, of whichever tenant, has {@code uri} (URIs are unique on the platform). */
    public boolean uriTaken(String uri, String exceptId) {
        return sql.exists("select 1 from protected_resource where uri = ?1 and id <> ?2", uri, exceptId);
    }

    public List<ProtectedResource> list(String tenantId) {
        return sql.list(SELECT + " where tenant_id = ?1 order by uri", ProtectedResourceRepository::resource, tenantId);
    }

    private static ProtectedResource resource(Row row) throws SQLException {
        ProtectedResource r = new ProtectedResource();
        r.id = row.string("id");
        r.tenantId = row.string("tenant_id");
        r.uri = row.string("uri");
        r.name = row.string("name");
        try {
            r.scopes = JSON.readValue(row.string("scopes"), SCOPES);
        } catch (JsonProcessingException e) {
            throw new SQLException("protected_resource " + r.id + " has scopes that are not JSON", e);
        }
        r.accessTokenLifetime = row.integer("access_token_lifetime");
        r.dpopRequired = row.bool("dpop_required");
        r.metadataHosted = row.bool("metadata_hosted");
        r.claims = row.string("claims") == null ? null : row.strings("claims");
        r.version = row.longValue("version");
        r.createdAt = row.instant("created_at");
        r.updatedAt = row.instant("updated_at");
        return r;
    }

    private static String json(List<ProtectedResource.Scope> scopes) {
        try {
            return JSON.writeValueAsString(scopes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("scopes are not JSON", e);
        }
    }
}
