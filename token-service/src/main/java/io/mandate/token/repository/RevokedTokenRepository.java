package io.mandate.token.repository;

import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Access tokens revoked before they expired, by {@code jti}. */
@ApplicationScoped
public class RevokedTokenRepository {

    private final Sql sql;

    RevokedTokenRepository(Sql sql) {
        this.sql = sql;
    }

    /** @return true if this call revoked it, false if it already was */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean revoke(String jti, String agentId, String tenantId, Instant expiresAt) {
        return sql.update("""
                insert into revoked_token (jti, agent_id, tenant_id, expires_at) values (?1, ?2, ?3, ?4)
                on conflict do nothing""", jti, agentId, tenantId, expiresAt) == 1;
    }

    /** True if the token was revoked by jti, or its agent revoked every token issued up to its {@code iat}. */
    public boolean isRevoked(String jti, String agentId, Instant issuedAt) {
        return sql.exists("""
                select 1 from revoked_token where jti = ?1
                union all
                select 1 from agent_token_cutoff where agent_id = ?2 and issued_before >= ?3""", jti, agentId, issuedAt);
    }

    /**
     * Ends every access token of the agent issued up to {@code issuedBefore}. Tokens carry {@code iat} in
     * whole seconds, so a token issued in the same second, just after, ends too.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cutOff(String agentId, String tenantId, Instant issuedBefore) {
        sql.update("""
                insert into agent_token_cutoff (agent_id, tenant_id, issued_before) values (?1, ?2, ?3)
                on conflict (agent_id) do update set issued_before = greatest(agent_token_cutoff.issued_before, excluded.issued_before)""",
                agentId, tenantId, issuedBefore);
    }
}
