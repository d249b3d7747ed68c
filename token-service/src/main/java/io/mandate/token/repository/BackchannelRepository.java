package io.mandate.token.repository;

import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** CIBA requests (by the SHA-256 of their {@code auth_req_id}) and how their delegation request ended. */
@ApplicationScoped
public class BackchannelRepository {

    private final Sql sql;

    BackchannelRepository(Sql sql) {
        this.sql = sql;
    }

    public enum Status {
        pending, approved, denied, expired, issued
    }

    /** One request; the grant fields are set once the person approved. */
    public record Row(String authReqHash, String tenantId, String clientId, String userId, String delegationRequestId,
            Status status, int intervalSeconds, Instant nextPollAt, Instant expiresAt, String delegationId,
            List<String> grantedScopes, Instant grantExpiresAt, String authorizationDetails) {
    }

    public void insert(Row r) {
        sql.update("""
                insert into backchannel_request (auth_req_hash, tenant_id, client_id, user_id, delegation_request_id, status,
                    interval_seconds, next_poll_at, expires_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)""",
                r.authReqHash(), r.tenantId(), r.clientId(), r.userId(), r.delegationRequestId(), r.status(),
                r.intervalSeconds(), r.nextPollAt(), r.expiresAt());
    }

    /** Locked until the transaction ends: two polls cannot both take the token. */
    public Optional<Row> lock(String authReqHash) {
        return sql.first("""
                select auth_req_hash, tenant_id, client_id, user_id, delegation_request_id, status, interval_seconds,
                    next_poll_at, expires_at, delegation_id, granted_scopes, grant_expires_at, authorization_details
                from backchannel_request where auth_req_hash = ?1 for update""",
                r -> new Row(r.string("auth_req_hash"), r.string("tenant_id"), r.string("client_id"), r.string("user_id"),
                        r.string("delegation_request_id"), r.enumValue("status", Status.class), r.integer("interval_seconds"),
                        r.instant("next_poll_at"), r.instant("expires_at"), r.string("delegation_id"),
                        r.strings("granted_scopes"), r.instant("grant_expires_at"), r.string("authorization_details")),
                authReqHash);
    }

    /** The next poll may come {@code intervalSeconds} from now. */
    public void polled(String authReqHash, int intervalSeconds, Instant nextPollAt) {
        sql.update("update backchannel_request set interval_seconds = ?2, next_poll_at = ?3 where auth_req_hash = ?1",
                authReqHash, intervalSeconds, nextPollAt);
    }

    public void issued(String authReqHash) {
        sql.update("update backchannel_request set status = 'issued' where auth_req_hash = ?1", authReqHash);
    }

    /** The person approved in delegation-service: the grant it made. */
    public void approved(String delegationRequestId, String delegationId, List<String> grantedScopes,
            Instant grantExpiresAt, String authorizationDetails) {
        sql.update("""
                update backchannel_request set status = 'approved', delegation_id = ?2, granted_scopes = ?3,
                    grant_expires_at = ?4, authorization_details = ?5
                where delegation_request_id = ?1 and status = 'pending'""",
                delegationRequestId, delegationId, grantedScopes, grantExpiresAt, authorizationDetails);
    }

    /** Denied, or expired unanswered. */
    public void ended(String delegationRequestId, Status status) {
        sql.update("update backchannel_request set status = ?2 where delegation_request_id = ?1 and status = 'pending'",
                delegationRequestId, status);
    }
}
