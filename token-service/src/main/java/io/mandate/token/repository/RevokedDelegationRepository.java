package io.mandate.token.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;

/** Delegation grants revoked in delegation-service, as {@code delegation.revoked} events listed them. */
@ApplicationScoped
public class RevokedDelegationRepository {

    private final EntityManager em;

    RevokedDelegationRepository(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void revoke(String tenantId, List<String> delegationIds) {
        em.createNativeQuery("""
                insert into revoked_delegation (delegation_id, tenant_id)
                select unnest(cast(?1 as text[])), ?2 on conflict do nothing""")
                .setParameter(1, delegationIds.toArray(String[]::new)).setParameter(2, tenantId).executeUpdate();
    }

    /** True if any of the grants was revoked. */
    public boolean anyRevoked(Collection<String> delegationIds) {
        return !em.createNativeQuery("select 1 from revoked_delegation where delegation_id = any(?1) limit 1")
                .setParameter(1, delegationIds.toArray(String[]::new)).getResultList().isEmpty();
    }
}
