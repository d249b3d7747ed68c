package io.mandate.api;

import io.mandate.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One newest-first page of a tenant's rows ({@code created_at desc, id desc}) after a {@link Page.After}
 * position: what every list endpoint of agents, grants and requests returns.
 */
public final class NewestFirst {

    private NewestFirst() {
    }

    /**
     * Up to {@code limit} rows of {@code select} (a {@code select ... from table} with {@code tenant_id},
     * {@code created_at} and {@code id} columns) that belong to {@code tenantId}. Each filter is an SQL
     * condition whose {@code ?} all stand for its value; a filter whose value is null is left out. The
     * conditions are constants of the caller, never input.
     */
    public static <T> List<T> page(Sql sql, String select, String tenantId, Map<String, Object> filters,
            Page.After after, int limit, Sql.Mapper<T> mapper) {
        List<Object> params = new ArrayList<>(List.of(tenantId));
        StringBuilder query = new StringBuilder(select).append(" where tenant_id = ?1");
        filters.forEach((condition, value) -> {
            if (value != null) {
                params.add(value);
                query.append(" and ").append(condition.replace("?", "?" + params.size()));
            }
        });
        if (after != null) {
            params.add(after.createdAt());
            params.add(after.id());
            int at = params.size() - 1;
            query.append(" and (created_at < ?%d or (created_at = ?%d and id < ?%d))".formatted(at, at, at + 1));
        }
        params.add(limit);
        query.append(" order by created_at desc, id desc limit ?").append(params.size());
        return sql.list(query.toString(), mapper, params.toArray());
    }
}
