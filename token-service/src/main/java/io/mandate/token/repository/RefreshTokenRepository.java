package io.mandate.token.repository;

import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Refresh tokens (by hash) and their families. Every method runs in the caller's transaction. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RefreshTokenRepository {

    private final Sql sql;

    RefreshTokenRepository(Sql sql) {
        this.sql = sql;
    }

    public enum Status {
        active, rotated, revoked
    }

    /**
     * One stored refresh token; {@code dpopJkt} is set when its family is bound to a DPoP key, {@code lent} when
     * it carries a person's authority (their consent in the browser), {@code credentialId} null for a public client.
     */
    public record Row(String tokenHash, String familyId, String agentId, String tenantId, String credentialId,
            List<String> scopes, List<String> audience, String dpopJkt, String accessJti, Instant accessExpiresAt,
            Status status, Instant expiresAt, Lent lent) {
    }

    /** A person's authority a family carries: whose, under which grant (until when), and whether the agent acts. */
    public record Lent(String userId, String delegationId, Instant delegationExpiresAt, boolean acts) {
    }

    public void insert(Row row) {
        Lent lent = row.lent();
        sql.update("""
                insert into refresh_token (token_hash, family_id, agent_id, tenant_id, credential_id, scopes, audience,
                    dpop_jkt, access_jti, access_expires_at, status, expires_at, user_id, delegation_id,
                    delegation_expires_at, acts)
                values (?1, ?2, ?3, ?4, ?5, cast(?6 as text[]), cast(?7 as text[]), ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                    ?16)""",
                row.tokenHash(), row.familyId(), row.agentId(), row.tenantId(), row.credentialId(),
                row.scopes().toArray(String[]::new), row.audience().toArray(String[]::new), row.dpopJkt(),
                row.accessJti(), row.accessExpiresAt(), row.status().name(), row.expiresAt(), lent == null ? null : lent.userId(),
                lent == null ? null : lent.delegationId(), lent == null ? null : lent.delegationExpiresAt(),
                lent != null && lent.acts());
    }

    /** The token with this hash, locked until the transaction ends (two concurrent uses cannot both rotate it). */
    public Optional<Row> lock(String tokenHash) {
        return sql.first("""
                select token_hash, family_id, agent_id, tenant_id, credential_id, scopes, audience, dpop_jkt, access_jti,
                       access_expires_at, status, expires_at, user_id, delegation_id, delegation_expires_at, acts
                from refresh_token where token_hash = ?1 for update""",
                r -> new Row(r.string("token_hash"), r.string("family_id"), r.string("agent_id"), r.string("tenant_id"),
                        r.string("credential_id"), r.strings("scopes"), r.strings("audience"), r.string("dpop_jkt"),
                        r.string("access_jti"), r.instant("access_expires_at"), r.enumValue("status", Status.class),
                        r.instant("expires_at"), r.string("user_id") == null ? null : new Lent(r.string("user_id"),
                                r.string("delegation_id"), r.instant("delegation_expires_at"), r.bool("acts"))),
                tokenHash);
    }

    public void markRotated(String tokenHash) {
        sql.update("update refresh_token set status = 'rotated' where token_hash = ?1", tokenHash);
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
        int refresh = sql.update("update refresh_token set status = 'revoked' where family_id = ?1 and status = 'active'",
                familyId);
        return new RevokedFamily(refresh, access);
    }

    /** Revokes every family of an agent; returns how many refresh tokens were still active. */
    public int revokeAgent(String agentId) {
        revokeAccessTokens("agent_id = ?1 and status = 'active'", agentId);
        return sql.update("update refresh_token set status = 'revoked' where agent_id = ?1 and status = 'active'",
                agentId);
    }

    private List<RevokedAccessToken> revokeAccessTokens(String where, String value) {
        return sql.list("""
                insert into revoked_token (jti, agent_id, tenant_id, expires_at)
                select access_jti, agent_id, tenant_id, access_expires_at from refresh_token
                where %s and access_expires_at > now()
                on conflict do nothing
                returning jti, expires_at""".formatted(where),
                row -> new RevokedAccessToken(row.string("jti"), row.instant("expires_at")), value);
    }
}
