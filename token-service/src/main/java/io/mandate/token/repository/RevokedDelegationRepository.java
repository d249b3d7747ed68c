package io.mandate.token.repository;

import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;

/** Delegation grants revoked in delegation-service, as {@code delegation.revoked} events listed them. */
@ApplicationScoped
public class RevokedDelegationRepository {

    private final Sql sql;

    RevokedDelegationRepository(Sql sql) {
        this.sql = sql;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void revoke(String tenantId, List<String> delegationIds) {
        sql.update("""
                insert into revoked_delegation (delegation_id, tenant_id)
                select unnest(cast(?1 as text[])), ?2 on conflict do nothing""",
                delegationIds.toArray(String[]::new), tenantId);
    }

    /** True if any of the grants was revoked. */
    public boolean anyRevoked(Collection<String> delegationIds) {
        return sql.exists("select 1 from revoked_delegation where delegation_id = any(?1)", delegationIds);
    }
}
