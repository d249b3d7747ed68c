package io.mandate.delegation.repository;

import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Newest-first pages of a tenant's rows (grants, requests): keyset on {@code (createdAt, id)}, the
 * cursor being the last row's pair, so a page never skips or repeats a row that arrives meanwhile.
 */
public final class NewestFirst {

    /** Where a page ended. */
    public record After(Instant createdAt, String id) {

        /** The position a cursor stands for; null for the first page, 400 for anything not issued here. */
        public static After of(String cursor) {
            String position = Page.decodeCursor(cursor);
            if (position == null) {
                return null;
            }
            int bar = position.indexOf('|');
            try {
                if (bar < 0) {
                    throw new DateTimeParseException("no separator", position, 0);
                }
                return new After(Instant.parse(position.substring(0, bar)), position.substring(bar + 1));
            } catch (DateTimeParseException e) {
                throw ProblemException.invalid("cursor", "not a cursor this service issued");
            }
        }

        String cursor() {
            return Page.encodeCursor(createdAt + "|" + id);
        }
    }

    private NewestFirst() {
    }

    /**
     * Up to {@code limit} rows of {@code tenantId} after {@code after}. Each filter is a JPQL clause whose
     * {@code ?} stand for its value; a filter whose value is null is left out.
     */
    static <T> List<T> rows(PanacheRepositoryBase<T, String> repository, String tenantId, Map<String, Object> filters,
            After after, int limit) {
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

    /** The page of {@code rows} (fetched with {@code limit + 1}), with a cursor when there is more. */
    public static <T> Page<T> page(List<T> rows, int limit, Function<T, After> position) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> page = rows.subList(0, limit);
        return new Page<>(page, position.apply(page.get(limit - 1)).cursor());
    }
}
