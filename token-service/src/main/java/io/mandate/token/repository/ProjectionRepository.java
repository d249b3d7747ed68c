package io.mandate.token.repository;

import io.mandate.eventing.envelope.AgentSnapshot;
import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import io.mandate.token.AgentProjection;
import io.mandate.token.CredentialProjection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads and upserts the agent and credential projections. Upserts never go back in version. */
@ApplicationScoped
public class ProjectionRepository {

    private final Sql sql;

    ProjectionRepository(Sql sql) {
        this.sql = sql;
    }

    private static final String CREDENTIALS =
            "select " + Fields.columns(CredentialProjection.class) + " from credential_projection";
    private static final Sql.Mapper<CredentialProjection> CREDENTIAL = Fields.reader(CredentialProjection.class);

    public Optional<CredentialProjection> findCredential(String keyId) {
        return sql.first(CREDENTIALS + " where key_id = ?1", CREDENTIAL, keyId);
    }

    public Optional<CredentialProjection> findCredentialById(String credentialId) {
        return sql.first(CREDENTIALS + " where credential_id = ?1", CREDENTIAL, credentialId);
    }

    /** The agent's credentials of one kind ({@code jwk}, {@code pgp}), whatever their status. */
    public List<CredentialProjection> credentials(String agentId, String kind) {
        return sql.list(CREDENTIALS + " where agent_id = ?1 and kind = ?2", CREDENTIAL, agentId, kind);
    }

    public Optional<AgentProjection> findAgent(String agentId) {
        return sql.first("select " + Fields.columns(AgentProjection.class) + " from agent_projection where agent_id = ?1",
                Fields.reader(AgentProjection.class), agentId);
    }

    public void upsertAgent(AgentSnapshot agent) {
        AgentSnapshot.Client client = agent.client();
        sql.update("""
                insert into agent_projection (agent_id, tenant_id, status, permissions, tier, trust_level, version, name,
                    owner_email, client_type, redirect_uris, logo_uri, client_auth_method, client_id_url, metadata,
                    client_registration)
                values (?1, ?2, ?3, cast(?4 as text[]), ?5, ?6, ?7, ?8, ?9, ?10, cast(?11 as text[]), ?12, ?13, ?14, ?15, ?16)
                on conflict (agent_id) do update set tenant_id = excluded.tenant_id, status = excluded.status,
                    permissions = excluded.permissions, tier = excluded.tier, trust_level = excluded.trust_level,
                    version = excluded.version, name = excluded.name, owner_email = excluded.owner_email,
                    client_type = excluded.client_type, redirect_uris = excluded.redirect_uris,
                    logo_uri = excluded.logo_uri, client_auth_method = excluded.client_auth_method,
                    client_id_url = excluded.client_id_url, metadata = excluded.metadata,
                    client_registration = excluded.client_registration, updated_at = now()
                where agent_projection.version < excluded.version""",
                agent.id(), agent.tenantId(), agent.status(), agent.permissions().toArray(String[]::new), agent.tier(),
                agent.trustLevel(), agent.version(), agent.name(), agent.ownerEmail(), client == null ? null : client.type(),
                (client == null ? List.<String>of() : client.redirectUris()).toArray(String[]::new),
                client == null ? null : client.logoUri(), client == null ? null : client.tokenEndpointAuthMethod(),
                client == null ? null : client.clientIdUrl(), agent.metadata(), client == null ? null : client.registration());
    }

    /** The clients, one per tenant at most, that identify themselves by the metadata document at {@code url}. */
    public List<AgentProjection> findByClientIdUrl(String url) {
        return sql.list("select " + Fields.columns(AgentProjection.class) + " from agent_projection where client_id_url = ?1",
                Fields.reader(AgentProjection.class), url);
    }

    /** A revoked credential stays revoked whatever arrives later; otherwise the newest verifier wins. */
    public void upsertCredential(String keyId, String credentialId, String agentId, String tenantId, String kind,
            String verifier, String status, Instant expiresAt) {
        sql.update("""
                insert into credential_projection (key_id, credential_id, agent_id, tenant_id, verifier, status, expires_at,
                    kind)
                values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as timestamptz), ?8)
                on conflict (key_id) do update set status = excluded.status, verifier = excluded.verifier,
                    expires_at = excluded.expires_at, updated_at = now()
                where credential_projection.status <> 'revoked'""",
                keyId, credentialId, agentId, tenantId, verifier, status, expiresAt, kind);
    }
}
