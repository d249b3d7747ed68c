package io.mandate.token.repository;

import io.mandate.sql.Row;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The human projection and the login throttle (both token-service's own tables). */
@ApplicationScoped
public class HumanLoginRepository {

    private final Sql sql;

    HumanLoginRepository(Sql sql) {
        this.sql = sql;
    }

    public record Human(String userId, String tenantId, String username, String email, String passwordHash,
            List<String> roles, String status) {
    }

    /** What a human may lend now: an active owner or tenant admin, up to its permissions. */
    public record Authority(String tenantId, boolean mayLend, List<String> permissions) {
    }

    /**
     * Upserts; never goes back in version (a late, older verifier cannot re-enable an account).
     * {@code externalSubject}: the enterprise IdP's {@code sub} the account is linked to, or null.
     */
    public void upsert(Human human, List<String> permissions, long version, String externalSubject) {
        sql.update("""
                insert into human_projection (user_id, tenant_id, username, email, password_hash, roles, status, version,
                    permissions, external_subject)
                values (?1, ?2, ?3, ?4, ?5, cast(?6 as text[]), ?7, ?8, cast(?9 as text[]), ?10)
                on conflict (user_id) do update set tenant_id = excluded.tenant_id, username = excluded.username,
                    email = excluded.email, password_hash = excluded.password_hash, roles = excluded.roles,
                    status = excluded.status, version = excluded.version, permissions = excluded.permissions,
                    external_subject = excluded.external_subject, updated_at = now()
                where human_projection.version < excluded.version""",
                human.userId(), human.tenantId(), human.username(), human.email(), human.passwordHash(),
                human.roles().toArray(String[]::new), human.status(), version, permissions.toArray(String[]::new),
                externalSubject);
    }

    /** The authority of an active account; empty when it is unknown or disabled. */
    public Optional<Authority> authority(String userId) {
        return sql.first("""
                select tenant_id, ('owner' = any(roles) or 'tenant_admin' = any(roles)) as administers, permissions
                from human_projection where user_id = ?1 and status = 'active'""",
                row -> new Authority(row.string("tenant_id"), row.bool("administers"), row.strings("permissions")),
                userId);
    }

    public Optional<Human> byUsername(String username) {
        return sql.first(HUMAN + " where lower(username) = lower(?1)", HumanLoginRepository::human, username);
    }

    /** An active account of the tenant a CIBA {@code login_hint} names: its username or email. */
    public Optional<Human> byLoginHint(String tenantId, String hint) {
        return sql.first(HUMAN + " where tenant_id = ?1 and status = 'active' and (lower(username) = lower(?2)"
                + " or lower(email) = lower(?2))", HumanLoginRepository::human, tenantId, hint);
    }

    /**
     * The active account of the tenant an enterprise IdP identity is: the one linked to its subject, else the
     * one not linked yet whose email the IdP verified (as every service links it).
     */
    public Optional<Human> byIdentityProvider(String tenantId, String subject, String verifiedEmail) {
        return sql.first(HUMAN + """
                 where tenant_id = ?1 and status = 'active'
                   and (external_subject = ?2 or (external_subject is null and lower(email) = lower(cast(?3 as text))))
                order by (external_subject = ?2) desc nulls last limit 1""",
                HumanLoginRepository::human, tenantId, subject, verifiedEmail);
    }

    public Optional<Human> byId(String userId) {
        return sql.first(HUMAN + " where user_id = ?1", HumanLoginRepository::human, userId);
    }

    private static final String HUMAN =
            "select user_id, tenant_id, username, email, password_hash, roles, status from human_projection";

    private static Human human(Row row) throws SQLException {
        return new Human(row.string("user_id"), row.string("tenant_id"), row.string("username"), row.string("email"),
                row.string("password_hash"), row.strings("roles"), row.string("status"));
    }

    /**
     * Counts an attempt under {@code key} unless the key must still wait; then returns until when. The
     * {@code free}-th failure in a row and each one after it make the next attempt wait twice as long as
     * the one before (2 s, 4 s, 8 s, ...), at most {@code longest}. Locks the key's row: concurrent
     * attempts are counted one after the other.
     */
    public Optional<Instant> attempt(String key, Instant now, int free, Duration longest) {
        sql.update("""
                insert into login_throttle (key, failures, next_allowed) values (?1, 0, '-infinity')
                on conflict (key) do nothing""", key);
        record Throttle(int failures, Instant nextAllowed) {
        }
        Throttle row = sql.first("select failures, next_allowed from login_throttle where key = ?1 for update",
                r -> new Throttle(r.integer("failures"), r.instant("next_allowed")), key).orElseThrow();
        int failures = row.failures();
        Instant nextAllowed = row.nextAllowed();
        if (nextAllowed != null && nextAllowed.isAfter(now)) {
            return Optional.of(nextAllowed);
        }
        int counted = failures + 1;
        Duration growing = Duration.ofSeconds(1L << Math.min(30, counted - free + 1));
        Duration wait = counted < free ? Duration.ZERO : growing.compareTo(longest) > 0 ? longest : growing;
        sql.update("update login_throttle set failures = ?2, next_allowed = ?3, updated_at = now() where key = ?1",
                key, counted, now.plus(wait));
        return Optional.empty();
    }

    /** The attempt under {@code key} succeeded: it starts from scratch. */
    public void succeeded(String key) {
        sql.update("delete from login_throttle where key = ?1", key);
    }
}
