package io.mandate.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** One page of a list: {@code {items, next_cursor}}; the cursor is opaque to callers. */
public record Page<T>(List<T> items, String nextCursor) {

    public static final int DEFAULT_LIMIT = 50;

    /** The same page with each item mapped (e.g. an entity to its view). */
    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }

    public static final int MAX_LIMIT = 500;

    /** The {@code limit} query parameter, 1 to 500 (taken as text, so that junk is a 400). */
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

    /**
     * The page of {@code rows}, which were read with one more than {@code limit} to learn whether more
     * follow: the first {@code limit} as {@code view} shows them, and then a cursor standing for the
     * last one's {@code position}.
     */
    public static <T, R> Page<R> of(List<T> rows, int limit, Function<T, String> position, Function<T, R> view) {
        List<R> items = rows.stream().limit(limit).map(view).toList();
        return new Page<>(items, rows.size() > limit ? encodeCursor(position.apply(rows.get(limit - 1))) : null);
    }

    /** A cursor whose position is a number (a sequence, a serial id); null for the first page. */
    public static Long numberAfter(String cursor) {
        String position = decodeCursor(cursor);
        if (position == null) {
            return null;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw notIssuedHere();
        }
    }

    /**
     * A keyset position on {@code (createdAt, id)}, for lists newest first: a page never skips or
     * repeats a row that arrives meanwhile.
     */
    public record After(Instant createdAt, String id) {

        /** The position a cursor stands for; null for the first page, 400 for anything not issued here. */
        public static After of(String cursor) {
            String position = decodeCursor(cursor);
            if (position == null) {
                return null;
            }
            int bar = position.indexOf('|');
            try {
                return new After(Instant.parse(position.substring(0, Math.max(bar, 0))), position.substring(bar + 1));
            } catch (DateTimeParseException e) {
                throw notIssuedHere();
            }
        }

        /** The position of a row, for {@link Page#of}. */
        public static String position(Instant createdAt, String id) {
            return createdAt + "|" + id;
        }
    }

    private static ProblemException notIssuedHere() {
        return ProblemException.invalid("cursor", "not a cursor this service issued");
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
            throw notIssuedHere();
        }
    }
}
