package io.mandate.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.sql.Sql;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final Sql sql;

    KnownHumans(Sql sql) {
        this.sql = sql;
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
        sql.update("""
                insert into known_human (user_id, tenant_id, email, roles, status, external_subject, version, permissions)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                on conflict (user_id) do update set email = excluded.email, roles = excluded.roles,
                    permissions = excluded.permissions,
                    status = excluded.status, external_subject = excluded.external_subject, version = excluded.version
                where known_human.version < excluded.version""",
                human.path("id").asText(), human.path("tenant_id").asText(), human.path("email").asText(),
                String.join(",", roles), human.path("status").asText(),
                subject == null || subject.isNull() ? null : subject.asText(), human.path("version").asLong(),
                String.join(",", permissions));
    }

    /**
     * A human this service has not seen yet (its {@code human.registered} still on the way) keeps the
     * roles its token names; once seen, the account's roles and email count, and a disabled one is refused.
     */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Caller> current(Caller claimed) {
        Optional<Known> known = sql.first("select tenant_id, email, roles, status from known_human where user_id = ?1",
                row -> new Known(row.string("tenant_id"), row.string("email"), row.string("roles"), row.string("status")),
                claimed.id());
        if (known.isEmpty()) {
            return Optional.of(claimed);
        }
        Known account = known.get();
        if (!claimed.tenantId().equals(account.tenantId()) || !"active".equals(account.status())) {
            return Optional.empty();
        }
        Set<String> roles = new LinkedHashSet<>(split(account.roles()));
        roles.retainAll(Caller.HUMAN_ROLES);
        return Optional.of(new Caller(Caller.Kind.HUMAN, claimed.id(), claimed.tenantId(), roles, account.email()));
    }

    /** The permissions of an active account of {@code tenantId}; empty when unknown, disabled or elsewhere. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Set<String>> permissions(String tenantId, String userId) {
        return sql.first("select permissions from known_human where user_id = ?1 and tenant_id = ?2 and status = 'active'",
                row -> split(row.string("permissions")), userId, tenantId);
    }

    /** By the subject identity-service linked, else by email (an account not yet linked). */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Caller> external(String tenantId, String subject, String email) {
        return sql.first("""
                select user_id, email, roles from known_human
                where tenant_id = ?1 and status = 'active'
                  and (external_subject = ?2 or (external_subject is null and lower(email) = lower(?3)))
                order by (external_subject = ?2) desc nulls last limit 1""",
                row -> new Caller(Caller.Kind.HUMAN, row.string("user_id"), tenantId, split(row.string("roles")),
                        row.string("email")),
                tenantId, subject, email == null ? "" : email);
    }

    private record Known(String tenantId, String email, String roles, String status) {
    }

    private static Set<String> split(String joined) {
        return joined.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(joined.split(",")));
    }
}
