package io.mandate.token.repository;

import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** Signed-in browsers, by the SHA-256 of their cookie. */
@ApplicationScoped
public class BrowserSessionRepository {

    private final Sql sql;

    BrowserSessionRepository(Sql sql) {
        this.sql = sql;
    }

    /** A live session of an account that is still active. */
    public record Session(String userId, String tenantId, Instant authenticatedAt) {
    }

    public void insert(String sessionHash, String userId, String tenantId, Instant authenticatedAt, Instant expiresAt) {
        sql.update("""
                insert into browser_session (session_hash, user_id, tenant_id, authenticated_at, expires_at)
                values (?1, ?2, ?3, ?4, ?5)""", sessionHash, userId, tenantId, authenticatedAt, expiresAt);
    }

    /** The session, if unexpired and its account still active (a disabled person is signed out everywhere at once). */
    public Optional<Session> find(String sessionHash) {
        return sql.first("""
                select s.user_id, s.tenant_id, s.authenticated_at from browser_session s
                join human_projection h on h.user_id = s.user_id and h.status = 'active'
                where s.session_hash = ?1 and s.expires_at > now()""",
                row -> new Session(row.string("user_id"), row.string("tenant_id"), row.instant("authenticated_at")),
                sessionHash);
    }

    public void delete(String sessionHash) {
        sql.update("delete from browser_session where session_hash = ?1", sessionHash);
    }
}
