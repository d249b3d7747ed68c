package io.mandate.delegation.repository;

import io.mandate.api.NewestFirst;
import io.mandate.api.Page;
import io.mandate.sql.Sql;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rows that belong to a tenant: found only within it, optionally locked, listed newest first. Its
 * repositories are {@code @Singleton}s: a client proxy could not call this constructor.
 */
abstract class TenantRows<T> {

    protected final Sql sql;
    private final String select;
    private final Sql.Mapper<T> mapper;

    /** {@code select} is {@code select <columns> from <table>}, read by {@code mapper}. */
    TenantRows(Sql sql, String select, Sql.Mapper<T> mapper) {
        this.sql = sql;
        this.select = select;
        this.mapper = mapper;
    }

    public Optional<T> find(String tenantId, String id) {
        return sql.first(select + " where id = ?1 and tenant_id = ?2", mapper, id, tenantId);
    }

    /** Locks the row: a grant gets a child or is revoked, a request is decided, one at a time. */
    public Optional<T> findForUpdate(String tenantId, String id) {
        return sql.first(select + " where id = ?1 and tenant_id = ?2 for update", mapper, id, tenantId);
    }

    /** Up to {@code limit} of the tenant's rows after {@code after}, newest first (see {@link NewestFirst}). */
    List<T> newestFirst(String tenantId, Map<String, Object> filters, Page.After after, int limit) {
        return NewestFirst.page(sql, select, tenantId, filters, after, limit, mapper);
    }
}
