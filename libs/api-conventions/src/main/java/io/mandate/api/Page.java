package io.mandate.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** One page of a list: {@code {items, next_cursor}}; the cursor is opaque to callers. */
public record Page<T>(List<T> items, String nextCursor) {

    public static final int DEFAULT_LIMIT = 50;

    /** The same page with each item mapped (e.g. an entity to its view). */
    public <R> Page<R> map(java.util.function.Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }

    public static final int MAX_LIMIT = 500;

    /** The {@code limit} query parameter, checked against the bounds of docs/api-conventions.md (taken as text so junk is a 400). */
    public static int limit(String requested) {
        if (requested == null || requested.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(requested);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.invalid("limit", "must be a whole number between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    public static String encodeCursor(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor stands for, or null for the first page. */
    public static String decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("cursor", "not a cursor this service issued");
        }
    }
}
