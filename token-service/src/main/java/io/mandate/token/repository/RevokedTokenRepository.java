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

    public boolean isRevoked(String jti) {
        return !em.createNativeQuery("select 1 from revoked_token where jti = ?1").setParameter(1, jti)
                .getResultList().isEmpty();
    }
}
