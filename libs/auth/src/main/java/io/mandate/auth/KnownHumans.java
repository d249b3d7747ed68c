package io.mandate.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Human accounts as a service consuming {@code mandate.identity} saw them ({@code human.registered},
 * {@code human.updated}, {@code human.disabled}; table {@code known_human}, migrations in
 * {@code db/auth}). It gives each request the account's current roles and email, maps enterprise-IdP
 * tokens to accounts and refuses a disabled human's token at once. identity-service answers from its
 * own accounts instead.
 */
@ApplicationScoped
@DefaultBean
public class KnownHumans implements HumanDirectory {

    private static final Set<String> HUMAN_EVENTS = Set.of("human.registered", "human.updated", "human.disabled");

    private final EntityManager em;

    KnownHumans(EntityManager em) {
        this.em = em;
    }

    /**
     * Applies a {@code human.*} event's account snapshot ({@code data.human}); other types are
     * ignored. Never goes back in {@code version}. Runs in the consumer's inbox transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(String eventType, JsonNode data) {
        if (!HUMAN_EVENTS.contains(eventType)) {
            return;
        }
        JsonNode human = data == null ? null : data.get("human");
        if (human == null || !human.path("id").isTextual() || !human.path("tenant_id").isTextual()
                || !human.path("roles").isArray() || !human.path("version").canConvertToLong()) {
            throw new IllegalArgumentException(eventType + " without the account snapshot");
        }
        List<String> roles = new java.util.ArrayList<>();
        human.path("roles").forEach(role -> roles.add(role.asText()));
        List<String> permissions = new java.util.ArrayList<>();
        human.path("permissions").forEach(permission -> permissions.add(permission.asText()));
        JsonNode subject = human.get("external_subject");
        em.createNativeQuery("""
                insert into known_human (user_id, tenant_id, email, roles, status, external_subject, version, permissions)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                on conflict (user_id) do update set email = excluded.email, roles = excluded.roles,
                    permissions = excluded.permissions,
                    status = excluded.status, external_subject = excluded.external_subject, version = excluded.version
                where known_human.version < excluded.version""")
                .setParameter(1, human.path("id").asText()).setParameter(2, human.path("tenant_id").asText())
                .setParameter(3, human.path("email").asText()).setParameter(4, String.join(",", roles))
                .setParameter(5, human.path("status").asText())
                .setParameter(6, subject == null || subject.isNull() ? null : subject.asText())
                .setParameter(7, human.path("version").asLong()).setParameter(8, String.join(",", permissions))
                .executeUpdate();
    }

    /**
     * A human this service has not seen yet (its {@code human.registered} still on the way) keeps the
     * roles its token names; once seen, the account's roles and email count, and a disabled one is refused.
     */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Caller> current(Caller claimed) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select tenant_id, email, roles, status from known_human where user_id = ?1")
                .setParameter(1, claimed.id()).getResultList();
        if (rows.isEmpty()) {
            return Optional.of(claimed);
        }
        Object[] row = rows.get(0);
        if (!claimed.tenantId().equals(row[0]) || !"active".equals(row[3])) {
            return Optional.empty();
        }
        Set<String> roles = new LinkedHashSet<>(split((String) row[2]));
        roles.retainAll(Caller.HUMAN_ROLES);
        return Optional.of(new Caller(Caller.Kind.HUMAN, claimed.id(), claimed.tenantId(), roles, (String) row[1]));
    }

    /** The permissions of an active account of {@code tenantId}; empty when unknown, disabled or elsewhere. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Set<String>> permissions(String tenantId, String userId) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery(
                "select permissions from known_human where user_id = ?1 and tenant_id = ?2 and status = 'active'")
                .setParameter(1, userId).setParameter(2, tenantId).getResultList();
        return rows.stream().findFirst().map(KnownHumans::split);
    }

    /** By the subject identity-service linked, else by email (an account not yet linked). */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Caller> external(String tenantId, String subject, String email) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select user_id, email, roles from known_human
                where tenant_id = ?1 and status = 'active'
                  and (external_subject = ?2 or (external_subject is null and lower(email) = lower(?3)))
                order by (external_subject = ?2) desc nulls last limit 1""")
                .setParameter(1, tenantId).setParameter(2, subject).setParameter(3, email == null ? "" : email)
                .getResultList();
        return rows.stream().findFirst().map(row -> new Caller(Caller.Kind.HUMAN, (String) row[0], tenantId,
                split((String) row[2]), (String) row[1]));
    }

    private static Set<String> split(String joined) {
        return joined.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(joined.split(",")));
    }
}
