package io.mandate.identity.repository;

import io.mandate.api.TenantRows;
import io.mandate.identity.Human;
import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/** The {@code human} rows. */
@Singleton
public class HumanRepository extends TenantRows<Human> {

    private static final String SELECT = "select " + Fields.columns(Human.class) + " from human";
    private static final Sql.Mapper<Human> HUMAN = Fields.reader(Human.class);

    HumanRepository(Sql sql) {
        super(sql, SELECT, HUMAN);
    }

    public void insert(Human h) {
        sql.insert("human", h);
    }

    /** Stores a change of a locked account under the next version (what its event carries). */
    public void save(Human h) {
        int saved = sql.update("""
                update human set email = ?3, roles = ?4, permissions = ?5, status = ?6, password_hash = ?7,
                    external_subject = ?8, password_changed_at = ?9, updated_at = ?10, version = ?2 + 1
                where id = ?1 and version = ?2""",
                h.id, h.version, h.email, h.roles, h.permissions, h.status, h.passwordHash, h.externalSubject,
                h.passwordChangedAt, h.updatedAt);
        if (saved != 1) {
            throw new IllegalStateException("human " + h.id + " changed concurrently");
        }
        h.version++;
    }

    public boolean usernameTaken(String username) {
        return sql.exists("select 1 from human where lower(username) = lower(?1)", username);
    }

    public boolean emailTaken(String tenantId, String email, String exceptId) {
        return sql.exists("select 1 from human where tenant_id = ?1 and lower(email) = lower(?2) and id <> ?3",
                tenantId, email, exceptId);
    }

    public Optional<Human> byExternalSubject(String tenantId, String subject) {
        return sql.first(SELECT + " where tenant_id = ?1 and external_subject = ?2", HUMAN,
                tenantId, subject);
    }

    public Optional<Human> byEmail(String tenantId, String email) {
        return sql.first(SELECT + " where tenant_id = ?1 and lower(email) = lower(?2)", HUMAN,
                tenantId, email);
    }

    /** One page of the tenant's humans in a stable order (by id), after {@code afterId} when given. */
    public List<Human> page(String tenantId, String afterId, int limit) {
        return sql.list(SELECT + " where tenant_id = ?1 and id > coalesce(?2, '') order by id limit ?3",
                HUMAN, tenantId, afterId, limit);
    }
}
