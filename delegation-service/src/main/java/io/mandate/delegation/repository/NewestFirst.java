package io.mandate.delegation.repository;

import io.mandate.api.Page;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import java.util.List;
import java.util.Map;

/**
 * Newest-first pages of a tenant's rows (grants, requests), after a {@link Page.After} position.
 */
public final class NewestFirst {

    private NewestFirst() {
    }

    /**
     * Up to {@code limit} rows of {@code tenantId} after {@code after}. Each filter is a JPQL clause whose
     * {@code ?} stand for its value; a filter whose value is null is left out.
     */
    static <T> List<T> rows(PanacheRepositoryBase<T, String> repository, String tenantId, Map<String, Object> filters,
            Page.After after, int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        int n = 0;
        for (Map.Entry<String, Object> filter : filters.entrySet()) {
            if (filter.getValue() != null) {
                String name = "p" + n++;
                query.append(" and ").append(filter.getKey().replace("?", ":" + name));
                params.and(name, filter.getValue());
            }
        }
        if (after != null) {
            query.append(" and (createdAt < :afterAt or (createdAt = :afterAt and id < :afterId))");
            params.and("afterAt", after.createdAt()).and("afterId", after.id());
        }
        query.append(" order by createdAt desc, id desc");
        return repository.find(query.toString(), params).page(0, limit).list();
    }
}
