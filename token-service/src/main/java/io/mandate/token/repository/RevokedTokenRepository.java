package io.mandate.token.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Access tokens revoked before they expired, by {@code jti}. */
@ApplicationScoped
public class RevokedTokenRepository {

    private final EntityManager em;

    RevokedTokenRepository(EntityManager em) {
        this.em = em;
    }

    /** @return true if this call revoked it, false if it already was */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean revoke(String jti, String agentId, String tenantId, Instant expiresAt) {
        return em.createNativeQuery("""
                insert into revoked_token (jti, agent_id, tenant_id, expires_at) values (?1, ?2, ?3, ?4)
                on conflict do nothing""")
                .setParameter(1, jti).setParameter(2, agentId).setParameter(3, tenantId).setParameter(4, expiresAt)
                .executeUpdate() == 1;
    }

    /** True if the token was revoked by jti, or its agent revoked every token issued up to its {@code iat}. */
    public boolean isRevoked(String jti, String agentId, Instant issuedAt) {
        return !em.createNativeQuery("""
                select 1 from revoked_token where jti = ?1
                union all
                select 1 from agent_token_cutoff where agent_id = ?2 and issued_before >= ?3""")
                .setParameter(1, jti).setParameter(2, agentId).setParameter(3, issuedAt)
                .getResultList().isEmpty();
    }

    /**
     * Ends every access token of the agent issued up to {@code issuedBefore}. Tokens carry {@code iat} in
     * whole seconds, so a token issued in the same second, just after, ends too.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cutOff(String agentId, String tenantId, Instant issuedBefore) {
        em.createNativeQuery("""
                insert into agent_token_cutoff (agent_id, tenant_id, issued_before) values (?1, ?2, ?3)
                on conflict (agent_id) do update set issued_before = greatest(agent_token_cutoff.issued_before, excluded.issued_before)""")
                .setParameter(1, agentId).setParameter(2, tenantId).setParameter(3, issuedBefore).executeUpdate();
    }
}
