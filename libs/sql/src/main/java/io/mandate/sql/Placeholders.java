package io.mandate.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns numbered placeholders ({@code ?1}) into JDBC's positional ones ({@code ?}) and remembers, per
 * position, which parameter goes there. Text in quotes is left alone. Parsed statements are kept: the
 * services' SQL is a fixed set of constants.
 */
final class Placeholders {

    record Parsed(String jdbc, int[] order) {
    }

    private static final int MAX_KEPT = 2_000;
    private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

    private Placeholders() {
    }

    static Parsed parse(String sql) {
        Parsed parsed = PARSED.get(sql);
        if (parsed == null) {
            parsed = translate(sql);
            if (PARSED.size() < MAX_KEPT) { // a statement built with values in it must not grow this without end
                PARSED.put(sql, parsed);
            }
        }
        return parsed;
    }

    private static Parsed translate(String sql) {
        StringBuilder jdbc = new StringBuilder(sql.length());
        List<Integer> order = new ArrayList<>();
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '?' && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && Character.isDigit(sql.charAt(end))) {
                    end++;
                }
                order.add(Integer.parseInt(sql.substring(i + 1, end)));
                jdbc.append('?');
                i = end - 1;
                continue;
            } else if (c == '?') {
                throw new IllegalArgumentException("number each placeholder (?1, ?2): " + sql);
            }
            jdbc.append(c);
        }
        return new Parsed(jdbc.toString(), order.stream().mapToInt(Integer::intValue).toArray());
    }
}
