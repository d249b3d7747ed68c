package io.mandate.token.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Refresh tokens (by hash) and their families. Every method runs in the caller's transaction. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RefreshTokenRepository {

    private final EntityManager em;

    RefreshTokenRepository(EntityManager em) {
        this.em = em;
    }

    public enum Status {
        active, rotated, revoked
    }

    /** One stored refresh token; {@code dpopJkt} is set when its family is bound to a DPoP key. */
    public record Row(String tokenHash, String familyId, String agentId, String tenantId, String credentialId,
            List<String> scopes, List<String> audience, String dpopJkt, String accessJti, Instant accessExpiresAt,
            Status status, Instant expiresAt) {
    }

    public void insert(Row row) {
        em.createNativeQuery("""
                insert into refresh_token (token_hash, family_id, agent_id, tenant_id, credential_id, scopes, audience,
                    dpop_jkt, access_jti, access_expires_at, status, expires_at)
                values (?1, ?2, ?3, ?4, ?5, cast(?6 as text[]), cast(?7 as text[]), ?8, ?9, ?10, ?11, ?12)""")
                .setParameter(1, row.tokenHash()).setParameter(2, row.familyId()).setParameter(3, row.agentId())
                .setParameter(4, row.tenantId()).setParameter(5, row.credentialId())
                .setParameter(6, row.scopes().toArray(String[]::new)).setParameter(7, row.audience().toArray(String[]::new))
                .setParameter(8, row.dpopJkt()).setParameter(9, row.accessJti()).setParameter(10, row.accessExpiresAt())
                .setParameter(11, row.status().name()).setParameter(12, row.expiresAt())
                .executeUpdate();
    }

    /** The token with this hash, locked until the transaction ends (two concurrent uses cannot both rotate it). */
    public Optional<Row> lock(String tokenHash) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select token_hash, family_id, agent_id, tenant_id, credential_id, scopes, audience, dpop_jkt, access_jti,
                       access_expires_at, status, expires_at
                from refresh_token where token_hash = ?1 for update""")
                .setParameter(1, tokenHash).getResultList();
        return rows.stream().findFirst().map(r -> new Row((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                (String) r[4], Arrays.asList((String[]) r[5]), Arrays.asList((String[]) r[6]), (String) r[7],
                (String) r[8], (Instant) r[9], Status.valueOf((String) r[10]), (Instant) r[11]));
    }

    public void markRotated(String tokenHash) {
        em.createNativeQuery("update refresh_token set status = 'rotated' where token_hash = ?1")
                .setParameter(1, tokenHash).executeUpdate();
    }

    /** An access token revoked with its refresh family, for the event that tells the other services. */
    public record RevokedAccessToken(String jti, Instant expiresAt) {
    }

    /** What ending a family ended: how many refresh tokens were still active, and the access tokens. */
    public record RevokedFamily(int refreshTokens, List<RevokedAccessToken> accessTokens) {
    }

    /**
     * Revokes the live tokens of a family and the access tokens issued with its tokens that are still valid;
     * rotated ones stay rotated, so presenting one again is reported again.
     */
    public RevokedFamily revokeFamily(String familyId) {
        List<RevokedAccessToken> access = revokeAccessTokens("family_id = ?1", familyId);
        int refresh = em.createNativeQuery("update refresh_token set status = 'revoked' where family_id = ?1 and status = 'active'")
                .setParameter(1, familyId).executeUpdate();
        return new RevokedFamily(refresh, access);
    }

    /** Revokes every family of an agent; returns how many refresh tokens were still active. */
    public int revokeAgent(String agentId) {
        revokeAccessTokens("agent_id = ?1 and status = 'active'", agentId);
        return em.createNativeQuery("update refresh_token set status = 'revoked' where agent_id = ?1 and status = 'active'")
                .setParameter(1, agentId).executeUpdate();
    }

    private List<RevokedAccessToken> revokeAccessTokens(String where, String value) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                insert into revoked_token (jti, agent_id, tenant_id, expires_at)
                select access_jti, agent_id, tenant_id, access_expires_at from refresh_token
                where %s and access_expires_at > now()
                on conflict do nothing
                returning jti, expires_at""".formatted(where))
                .setParameter(1, value).getResultList();
        return rows.stream().map(row -> new RevokedAccessToken((String) row[0], (Instant) row[1])).toList();
    }
}
