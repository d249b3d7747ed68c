package io.mandate.token.repository;

import io.mandate.sql.Row;
import io.mandate.sql.Sql;
import io.mandate.token.authorize.AuthorizationRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Authorization requests waiting on the pages, the codes they end in, and remembered consent. */
@ApplicationScoped
public class AuthorizationRepository {

    private final Sql sql;

    AuthorizationRepository(Sql sql) {
        this.sql = sql;
    }

    public void insertRequest(AuthorizationRequest r) {
        sql.update("""
                insert into authorization_request (request_id, tenant_id, client_id, redirect_uri, scopes, offline, resources,
                    state, code_challenge, prompt, pushed, expires_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)""",
                r.requestId(), r.tenantId(), r.clientId(), r.redirectUri(), r.scopes(), r.offline(), r.resources(),
                r.state(), r.codeChallenge(), r.prompt(), r.pushed(), r.expiresAt());
    }

    /** A request still waiting: unexpired, and pushed or not as asked. */
    public Optional<AuthorizationRequest> findRequest(String requestId, boolean pushed) {
        return sql.first("""
                select request_id, tenant_id, client_id, redirect_uri, scopes, offline, resources, state, code_challenge,
                    prompt, pushed, expires_at
                from authorization_request where request_id = ?1 and pushed = ?2 and expires_at > now()""",
                AuthorizationRepository::request, requestId, pushed);
    }

    /** A pushed request used at the authorization endpoint: no longer usable as a request_uri, waits for the pages. */
    public boolean takePushed(String requestId, Instant waitUntil) {
        return sql.update("""
                update authorization_request set pushed = false, expires_at = ?2
                where request_id = ?1 and pushed and expires_at > now()""", requestId, waitUntil) == 1;
    }

    /** The request is answered (a code or an error went back): it cannot be answered twice. */
    public boolean deleteRequest(String requestId) {
        return sql.update("delete from authorization_request where request_id = ?1", requestId) == 1;
    }

    private static AuthorizationRequest request(Row row) throws SQLException {
        return new AuthorizationRequest(row.string("request_id"), row.string("tenant_id"), row.string("client_id"),
                row.string("redirect_uri"), row.strings("scopes"), row.bool("offline"), row.strings("resources"),
                row.string("state"), row.string("code_challenge"), row.string("prompt"), row.bool("pushed"),
                row.instant("expires_at"));
    }

    /**
     * A code as stored: what the person agreed to, under which grant, and once used what it issued.
     */
    public record Code(String codeHash, String tenantId, String clientId, String userId, String redirectUri,
            String codeChallenge, List<String> scopes, boolean offline, List<String> resources, String delegationId,
            Instant delegationExpiresAt, Instant expiresAt, Instant usedAt, String accessJti, Instant accessExpiresAt,
            String refreshFamilyId) {
    }

    public void insertCode(Code c) {
        sql.update("""
                insert into authorization_code (code_hash, tenant_id, client_id, user_id, redirect_uri, code_challenge,
                    scopes, offline, resources, delegation_id, delegation_expires_at, expires_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)""",
                c.codeHash(), c.tenantId(), c.clientId(), c.userId(), c.redirectUri(), c.codeChallenge(), c.scopes(),
                c.offline(), c.resources(), c.delegationId(), c.delegationExpiresAt(), c.expiresAt());
    }

    /** The code with this hash, locked until the transaction ends: two uses cannot both pass. */
    public Optional<Code> lockCode(String codeHash) {
        return sql.first("""
                select code_hash, tenant_id, client_id, user_id, redirect_uri, code_challenge, scopes, offline, resources,
                    delegation_id, delegation_expires_at, expires_at, used_at, access_jti, access_expires_at,
                    refresh_family_id
                from authorization_code where code_hash = ?1 for update""",
                row -> new Code(row.string("code_hash"), row.string("tenant_id"), row.string("client_id"),
                        row.string("user_id"), row.string("redirect_uri"), row.string("code_challenge"),
                        row.strings("scopes"), row.bool("offline"), row.strings("resources"), row.string("delegation_id"),
                        row.instant("delegation_expires_at"), row.instant("expires_at"), row.instant("used_at"),
                        row.string("access_jti"), row.instant("access_expires_at"), row.string("refresh_family_id")),
                codeHash);
    }

    /** Records the code's one use and what it issued (for a replay to revoke). */
    public void markCodeUsed(String codeHash, String accessJti, Instant accessExpiresAt, String refreshFamilyId) {
        sql.update("""
                update authorization_code set used_at = now(), access_jti = ?2, access_expires_at = ?3,
                    refresh_family_id = ?4
                where code_hash = ?1""", codeHash, accessJti, accessExpiresAt, refreshFamilyId);
    }

    /** Consent a person asked to remember: the grant it made and what it covers. */
    public record Consent(String userId, String clientId, String tenantId, List<String> scopes, boolean offline,
            List<String> resources, String delegationId, Instant delegationExpiresAt) {
    }

    public void rememberConsent(Consent c) {
        sql.update("""
                insert into remembered_consent (user_id, client_id, tenant_id, scopes, offline, resources, delegation_id,
                    delegation_expires_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                on conflict (user_id, client_id) do update set tenant_id = excluded.tenant_id, scopes = excluded.scopes,
                    offline = excluded.offline, resources = excluded.resources, delegation_id = excluded.delegation_id,
                    delegation_expires_at = excluded.delegation_expires_at""",
                c.userId(), c.clientId(), c.tenantId(), c.scopes(), c.offline(), c.resources(), c.delegationId(),
                c.delegationExpiresAt());
    }

    public Optional<Consent> findConsent(String userId, String clientId) {
        return sql.first("""
                select user_id, client_id, tenant_id, scopes, offline, resources, delegation_id, delegation_expires_at
                from remembered_consent where user_id = ?1 and client_id = ?2 and delegation_expires_at > now()""",
                AuthorizationRepository::consent,
                userId, clientId);
    }

    /** Forgets consent whose grant was revoked; returns the consents forgotten. */
    public List<Consent> forgetConsents(List<String> delegationIds) {
        return sql.list("""
                delete from remembered_consent where delegation_id = any(?1)
                returning user_id, client_id, tenant_id, scopes, offline, resources, delegation_id, delegation_expires_at""",
                AuthorizationRepository::consent,
                delegationIds);
    }

    private static Consent consent(Row row) throws SQLException {
        return new Consent(row.string("user_id"), row.string("client_id"), row.string("tenant_id"), row.strings("scopes"),
                row.bool("offline"), row.strings("resources"), row.string("delegation_id"),
                row.instant("delegation_expires_at"));
    }

    /** Removes what can no longer be used: requests, codes whose tokens expired too, and expired consent. */
    public int purgeExpired() {
        return sql.update("delete from authorization_request where expires_at < now()")
                + sql.update("""
                        delete from authorization_code where expires_at < now()
                            and (access_expires_at is null or access_expires_at < now())""")
                + sql.update("delete from remembered_consent where delegation_expires_at < now()")
                + sql.update("delete from browser_session where expires_at < now()")
                + sql.update("delete from idp_sign_in where expires_at < now()");
    }
}
