package io.mandate.token.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The human projection and the login throttle (both token-service's own tables). */
@ApplicationScoped
public class HumanLoginRepository {

    private final EntityManager em;

    HumanLoginRepository(EntityManager em) {
        this.em = em;
    }

    public record Human(String userId, String tenantId, String username, String email, String passwordHash,
            List<String> roles, String status) {
    }

    /** What a human may lend now: an active owner or tenant admin, up to its permissions. */
    public record Authority(String tenantId, boolean mayLend, List<String> permissions) {
    }

    /** Upserts; never goes back in version (a late, older verifier cannot re-enable an account). */
    public void upsert(Human human, List<String> permissions, long version) {
        em.createNativeQuery("""
                insert into human_projection (user_id, tenant_id, username, email, password_hash, roles, status, version,
                    permissions)
                values (?1, ?2, ?3, ?4, ?5, cast(?6 as text[]), ?7, ?8, cast(?9 as text[]))
                on conflict (user_id) do update set tenant_id = excluded.tenant_id, username = excluded.username,
                    email = excluded.email, password_hash = excluded.password_hash, roles = excluded.roles,
                    status = excluded.status, version = excluded.version, permissions = excluded.permissions,
                    updated_at = now()
                where human_projection.version < excluded.version""")
                .setParameter(1, human.userId()).setParameter(2, human.tenantId()).setParameter(3, human.username())
                .setParameter(4, human.email()).setParameter(5, human.passwordHash())
                .setParameter(6, human.roles().toArray(String[]::new)).setParameter(7, human.status())
                .setParameter(8, version).setParameter(9, permissions.toArray(String[]::new))
                .executeUpdate();
    }

    /** The authority of an active account; empty when it is unknown or disabled. */
    public Optional<Authority> authority(String userId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select tenant_id, ('owner' = any(roles) or 'tenant_admin' = any(roles)), permissions
                from human_projection where user_id = ?1 and status = 'active'""")
                .setParameter(1, userId).getResultList();
        return rows.stream().findFirst().map(r -> new Authority((String) r[0], (Boolean) r[1],
                List.of((String[]) r[2])));
    }

    public Optional<Human> byUsername(String username) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select user_id, tenant_id, username, email, password_hash, array_to_string(roles, ','), status
                from human_projection where lower(username) = lower(?1)""")
                .setParameter(1, username).getResultList();
        return rows.stream().findFirst().map(r -> new Human((String) r[0], (String) r[1], (String) r[2],
                (String) r[3], (String) r[4], roles((String) r[5]), (String) r[6]));
    }

    private static List<String> roles(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }

    /**
     * Counts an attempt under {@code key} unless the key must still wait; then returns until when. The
     * {@code free}-th failure in a row and each one after it make the next attempt wait twice as long as
     * the one before (2 s, 4 s, 8 s, ...), at most {@code longest}. Locks the key's row: concurrent
     * attempts are counted one after the other.
     */
    public Optional<Instant> attempt(String key, Instant now, int free, Duration longest) {
        em.createNativeQuery("""
                insert into login_throttle (key, failures, next_allowed) values (?1, 0, '-infinity')
                on conflict (key) do nothing""").setParameter(1, key).executeUpdate();
        Object[] row = (Object[]) em.createNativeQuery(
                "select failures, next_allowed from login_throttle where key = ?1 for update")
                .setParameter(1, key).getSingleResult();
        int failures = ((Number) row[0]).intValue();
        Instant nextAllowed = (Instant) row[1];
        if (nextAllowed != null && nextAllowed.isAfter(now)) {
            return Optional.of(nextAllowed);
        }
        int counted = failures + 1;
        Duration growing = Duration.ofSeconds(1L << Math.min(30, counted - free + 1));
        Duration wait = counted < free ? Duration.ZERO : growing.compareTo(longest) > 0 ? longest : growing;
        em.createNativeQuery("update login_throttle set failures = ?2, next_allowed = ?3, updated_at = now() where key = ?1")
                .setParameter(1, key).setParameter(2, counted).setParameter(3, now.plus(wait)).executeUpdate();
        return Optional.empty();
    }

    /** The attempt under {@code key} succeeded: it starts from scratch. */
    public void succeeded(String key) {
        em.createNativeQuery("delete from login_throttle where key = ?1").setParameter(1, key).executeUpdate();
    }
}
