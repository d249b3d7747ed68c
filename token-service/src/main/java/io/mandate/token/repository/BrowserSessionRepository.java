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

    /** A sign-in through the enterprise IdP on its way: what the browser's return must match. */
    public record IdpSignIn(String requestId, String nonce, String codeVerifier) {
    }

    public void insertIdpSignIn(String stateHash, IdpSignIn signIn, Instant expiresAt) {
        sql.update("""
                insert into idp_sign_in (state_hash, request_id, nonce, code_verifier, expires_at)
                values (?1, ?2, ?3, ?4, ?5)""", stateHash, signIn.requestId(), signIn.nonce(), signIn.codeVerifier(),
                expiresAt);
    }

    /** The sign-in the state names, used up (a state works once), if it has not expired. */
    public Optional<IdpSignIn> takeIdpSignIn(String stateHash) {
        return sql.first("""
                delete from idp_sign_in where state_hash = ?1 and expires_at > now()
                returning request_id, nonce, code_verifier""",
                row -> new IdpSignIn(row.string("request_id"), row.string("nonce"), row.string("code_verifier")),
                stateHash);
    }
}
