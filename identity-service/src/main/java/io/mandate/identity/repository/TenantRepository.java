package io.mandate.identity.repository;

import io.mandate.identity.Tenant;
import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** The {@code tenant} rows. */
@ApplicationScoped
public class TenantRepository {

    private static final Sql.Mapper<Tenant> TENANT = Fields.reader(Tenant.class);

    private final Sql sql;

    TenantRepository(Sql sql) {
        this.sql = sql;
    }

    public void insert(Tenant t) {
        sql.insert("tenant", t);
    }

    public Optional<Tenant> find(String id) {
        return sql.first("select id, name, created_at from tenant where id = ?1", TENANT, id);
    }

    public boolean nameTaken(String name) {
        return sql.exists("select 1 from tenant where lower(name) = lower(?1)", name);
    }

    /** One page of tenants in a stable order (by id), after {@code afterId} when given. */
    public List<Tenant> page(String afterId, int limit) {
        return sql.list("select id, name, created_at from tenant where id > coalesce(?1, '') order by id limit ?2",
                TENANT, afterId, limit);
    }
}
