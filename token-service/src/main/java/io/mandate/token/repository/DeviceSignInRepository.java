package io.mandate.token.repository;

import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** Device sign-ins of the command line, by the SHA-256 of their device code or by their user code. */
@ApplicationScoped
public class DeviceSignInRepository {

    private final Sql sql;

    DeviceSignInRepository(Sql sql) {
        this.sql = sql;
    }

    /** Where a sign-in stands when the command line polls. */
    public record Poll(String status, String userId, Instant polledAt, int intervalSeconds, Instant expiresAt) {
    }

    public void insert(String deviceCodeHash, String userCode, int intervalSeconds, Instant now, Instant expiresAt) {
        sql.update("""
                insert into device_sign_in (device_code_hash, user_code, status, interval_seconds, created_at, expires_at)
                values (?1, ?2, 'pending', ?3, ?4, ?5)""", deviceCodeHash, userCode, intervalSeconds, now, expiresAt);
    }

    /** True if a sign-in with this user code waits for the person, unexpired. */
    public boolean waiting(String userCode) {
        return sql.first("""
                select 1 from device_sign_in where user_code = ?1 and status = 'pending' and expires_at > now()""",
                row -> true, userCode).isPresent();
    }

    /** The person's answer; false when the code no longer waits (answered, expired, unknown). */
    public boolean decide(String userCode, boolean approved, String userId) {
        return sql.update("""
                update device_sign_in set status = ?2, user_id = ?3
                where user_code = ?1 and status = 'pending' and expires_at > now()""",
                userCode, approved ? "approved" : "denied", userId) == 1;
    }

    /** The sign-in, locked until the caller's transaction ends. */
    public Optional<Poll> lockForPoll(String deviceCodeHash) {
        return sql.first("""
                select status, user_id, polled_at, interval_seconds, expires_at from device_sign_in
                where device_code_hash = ?1 for update""",
                row -> new Poll(row.string("status"), row.string("user_id"), row.instant("polled_at"),
                        row.integer("interval_seconds"), row.instant("expires_at")), deviceCodeHash);
    }

    public void polled(String deviceCodeHash, Instant at, int intervalSeconds, String status) {
        sql.update("update device_sign_in set polled_at = ?2, interval_seconds = ?3, status = ?4 where device_code_hash = ?1",
                deviceCodeHash, at, intervalSeconds, status);
    }
}
