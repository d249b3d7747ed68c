package io.mandate.token.repository;

import io.mandate.token.AgentProjection;
import io.mandate.token.CredentialProjection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads and upserts the agent and credential projections. Upserts never go back in version. */
@ApplicationScoped
public class ProjectionRepository {

    private final EntityManager em;

    ProjectionRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<CredentialProjection> findCredential(String keyId) {
        return Optional.ofNullable(em.find(CredentialProjection.class, keyId));
    }

    public Optional<CredentialProjection> findCredentialById(String credentialId) {
        return em.createQuery("from CredentialProjection where credentialId = ?1", CredentialProjection.class)
                .setParameter(1, credentialId).getResultStream().findFirst();
    }

    /** The agent's credentials of one kind ({@code jwk}, {@code pgp}), whatever their status. */
    public List<CredentialProjection> credentials(String agentId, String kind) {
        return em.createQuery("from CredentialProjection where agentId = ?1 and kind = ?2", CredentialProjection.class)
                .setParameter(1, agentId).setParameter(2, kind).getResultList();
    }

    public Optional<AgentProjection> findAgent(String agentId) {
        return Optional.ofNullable(em.find(AgentProjection.class, agentId));
    }

    public void upsertAgent(String agentId, String tenantId, String status, List<String> permissions, String tier,
            int trustLevel, long version) {
        em.createNativeQuery("""
                insert into agent_projection (agent_id, tenant_id, status, permissions, tier, trust_level, version)
                values (?1, ?2, ?3, cast(?4 as text[]), ?5, ?6, ?7)
                on conflict (agent_id) do update set tenant_id = excluded.tenant_id, status = excluded.status,
                    permissions = excluded.permissions, tier = excluded.tier, trust_level = excluded.trust_level,
                    version = excluded.version, updated_at = now()
                where agent_projection.version < excluded.version""")
                .setParameter(1, agentId).setParameter(2, tenantId).setParameter(3, status)
                .setParameter(4, permissions.toArray(String[]::new)).setParameter(5, tier)
                .setParameter(6, trustLevel).setParameter(7, version)
                .executeUpdate();
    }

    /** A revoked credential stays revoked whatever arrives later; otherwise the newest verifier wins. */
    public void upsertCredential(String keyId, String credentialId, String agentId, String tenantId, String kind,
            String verifier, String status, Instant expiresAt) {
        em.createNativeQuery("""
                insert into credential_projection (key_id, credential_id, agent_id, tenant_id, verifier, status, expires_at,
                    kind)
                values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as timestamptz), ?8)
                on conflict (key_id) do update set status = excluded.status, verifier = excluded.verifier,
                    expires_at = excluded.expires_at, updated_at = now()
                where credential_projection.status <> 'revoked'""")
                .setParameter(1, keyId).setParameter(2, credentialId).setParameter(3, agentId)
                .setParameter(4, tenantId).setParameter(5, verifier).setParameter(6, status)
                .setParameter(7, expiresAt).setParameter(8, kind)
                .executeUpdate();
    }
}
