package io.mandate.api;

import io.mandate.sql.Sql;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A repository of rows that belong to a tenant (a table with {@code id} and {@code tenant_id}): found
 * only within it, optionally locked, listed newest first. Its subclasses are {@code @Singleton}s: a
 * client proxy could not call this constructor.
 */
public abstract class TenantRows<T> {

    protected final Sql sql;
    private final String select;
    private final Sql.Mapper<T> mapper;

    /** {@code select} is {@code select <columns> from <table>}, read by {@code mapper}. */
    protected TenantRows(Sql sql, String select, Sql.Mapper<T> mapper) {
        this.sql = sql;
        this.select = select;
        this.mapper = mapper;
    }

    public Optional<T> find(String tenantId, String id) {
        return sql.first(select + " where id = ?1 and tenant_id = ?2", mapper, id, tenantId);
    }

    /** The row, locked until the transaction ends: changes to it are made one at a time. */
    public Optional<T> findForUpdate(String tenantId, String id) {
        return sql.first(select + " where id = ?1 and tenant_id = ?2 for update", mapper, id, tenantId);
    }

    /** Up to {@code limit} of the tenant's rows after {@code after}, newest first (see {@link NewestFirst}). */
    protected List<T> newestFirst(String tenantId, Map<String, Object> filters, Page.After after, int limit) {
        return NewestFirst.page(sql, select, tenantId, filters, after, limit, mapper);
    }
}
