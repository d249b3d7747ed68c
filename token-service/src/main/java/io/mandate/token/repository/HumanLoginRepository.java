package io.mandate.token.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The human projection and the failed-login counters (both token-service's own tables). */
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

    /** Until when {@code username} is locked, if it is now. */
    public Optional<Instant> lockedUntil(String username, Instant now) {
        @SuppressWarnings("unchecked")
        List<Instant> rows = em.createNativeQuery(
                "select locked_until from login_failure where username = lower(?1) and locked_until > cast(?2 as timestamptz)")
                .setParameter(1, username).setParameter(2, now).getResultList();
        return rows.stream().findFirst();
    }

    /** Counts a failure; the {@code maxFailures}-th in a row locks the name until {@code lockUntil}. */
    public void recordFailure(String username, int maxFailures, Instant lockUntil) {
        em.createNativeQuery("""
                insert into login_failure (username, failures) values (lower(?1), 1)
                on conflict (username) do update set failures = login_failure.failures + 1, updated_at = now()""")
                .setParameter(1, username).executeUpdate();
        em.createNativeQuery("""
                update login_failure set locked_until = cast(?2 as timestamptz), failures = 0
                where username = lower(?1) and failures >= ?3""")
                .setParameter(1, username).setParameter(2, lockUntil).setParameter(3, maxFailures).executeUpdate();
    }

    public void clearFailures(String username) {
        em.createNativeQuery("delete from login_failure where username = lower(?1)").setParameter(1, username)
                .executeUpdate();
    }
}
