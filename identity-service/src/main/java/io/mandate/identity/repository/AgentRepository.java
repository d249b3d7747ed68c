package io.mandate.identity.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.mandate.api.Page;
import io.mandate.api.TenantRows;
import io.mandate.identity.Agent;
import io.mandate.identity.OAuthClient;
import io.mandate.sql.Row;
import io.mandate.sql.Sql;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code agent} rows. */
@Singleton
public class AgentRepository extends TenantRows<Agent> {

    private static final String SELECT = """
            select id, tenant_id, name, owner_email, description, permissions, metadata::text as metadata,
                client::text as client, tier, status, trust_level, version, created_at, updated_at, revoked_at
            from agent""";
    /** Metadata is stored as the caller gave it: a plain mapper, not the API's snake_case one. */
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Client settings are stored as the API shows them. */
    private static final ObjectMapper SNAKE_CASE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    AgentRepository(Sql sql) {
        super(sql, SELECT, AgentRepository::agent);
    }

    public void insert(Agent a) {
        sql.update("""
                insert into agent (id, tenant_id, name, owner_email, description, permissions, metadata, tier, status,
                    trust_level, version, created_at, updated_at, revoked_at, client)
                values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb), ?8, ?9, ?10, ?11, ?12, ?13, ?14, cast(?15 as jsonb))""",
                a.id, a.tenantId, a.name, a.ownerEmail, a.description, a.permissions, json(a.metadata), a.tier, a.status,
                a.trustLevel, a.version, a.createdAt, a.updatedAt, a.revokedAt, client(a.client));
    }

    /** Stores a change of a locked agent under the next version (what its event carries). */
    public void save(Agent a) {
        int saved = sql.update("""
                update agent set name = ?3, description = ?4, permissions = ?5, metadata = cast(?6 as jsonb), tier = ?7,
                    status = ?8, trust_level = ?9, updated_at = ?10, revoked_at = ?11, client = cast(?12 as jsonb),
                    version = ?2 + 1
                where id = ?1 and version = ?2""",
                a.id, a.version, a.name, a.description, a.permissions, json(a.metadata), a.tier, a.status, a.trustLevel,
                a.updatedAt, a.revokedAt, client(a.client));
        if (saved != 1) {
            throw new IllegalStateException("agent " + a.id + " changed under a lock");
        }
        a.version++;
    }

    /** The tenant's client for the metadata document at {@code url}, locked. */
    public Optional<Agent> findByClientIdUrlForUpdate(String tenantId, String url) {
        return sql.first(SELECT + " where tenant_id = ?1 and client ->> 'client_id_url' = ?2 for update",
                AgentRepository::agent, tenantId, url);
    }

    /** One page of the tenant's agents, newest first; null filters match everything. */
    public List<Agent> list(String tenantId, Agent.Status status, Agent.Tier tier, String ownerEmail, Page.After after,
            int limit) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("status = ?", status);
        filters.put("tier = ?", tier);
        filters.put("owner_email = ?", ownerEmail);
        return newestFirst(tenantId, filters, after, limit);
    }

    private static Agent agent(Row row) throws SQLException {
        Agent a = new Agent();
        a.id = row.string("id");
        a.tenantId = row.string("tenant_id");
        a.name = row.string("name");
        a.ownerEmail = row.string("owner_email");
        a.description = row.string("description");
        a.permissions = row.strings("permissions");
        a.metadata = metadata(row.string("metadata"));
        a.client = client(row.string("client"));
        a.tier = row.enumValue("tier", Agent.Tier.class);
        a.status = row.enumValue("status", Agent.Status.class);
        a.trustLevel = row.integer("trust_level").shortValue();
        a.version = row.longValue("version");
        a.createdAt = row.instant("created_at");
        a.updatedAt = row.instant("updated_at");
        a.revokedAt = row.instant("revoked_at");
        return a;
    }

    private static String json(Map<String, Object> metadata) {
        try {
            return JSON.writeValueAsString(metadata == null ? Map.of() : metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not JSON", e);
        }
    }

    private static Map<String, Object> metadata(String json) {
        try {
            return JSON.readValue(json, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not JSON", e);
        }
    }

    private static String client(OAuthClient client) {
        try {
            return client == null ? null : SNAKE_CASE.writeValueAsString(client);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("client settings are not JSON", e);
        }
    }

    private static OAuthClient client(String json) {
        try {
            return json == null ? null : SNAKE_CASE.readValue(json, OAuthClient.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored client settings are not JSON", e);
        }
    }
}
