package io.mandate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints what Mandate answered: as JSON (exactly the answer, indented) or as a table: a list's items in the columns
 * a command chooses, one object as name/value rows.
 */
public final class Output {

    public enum Format { table, json }

    private final Format format;

    Output(Format format) {
        this.format = format;
    }

    public boolean json() {
        return format == Format.json;
    }

    /** A list answer ({@code {items: [...]}} or an array): one row per item, these columns. */
    public void list(PrintWriter out, JsonNode answer, String... columns) {
        if (json()) {
            out.println(pretty(answer));
            return;
        }
        JsonNode items = answer.isArray() ? answer : answer.path("items");
        List<String[]> rows = new ArrayList<>();
        rows.add(upper(columns));
        for (JsonNode item : items) {
            String[] row = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                row[i] = cell(item.at("/" + columns[i].replace('.', '/')));
            }
            rows.add(row);
        }
        print(out, rows, 60);
        if (answer.hasNonNull("next_cursor")) {
            out.println("(more: --cursor " + answer.get("next_cursor").asText() + ")");
        }
    }

    /** One object: a row per member (nested values as compact JSON). */
    public void object(PrintWriter out, JsonNode answer) {
        if (json()) {
            out.println(pretty(answer));
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = answer.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            rows.add(new String[] {field.getKey(), cell(field.getValue())});
        }
        print(out, rows, Integer.MAX_VALUE);
    }

    public static String pretty(JsonNode node) {
        try {
            return Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cell(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isArray() && allScalars(value)) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(v.asText()));
            return String.join(",", parts);
        }
        return value.isContainerNode() ? value.toString() : value.asText();
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode v : array) {
            if (v.isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    private static String[] upper(String[] columns) {
        String[] head = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            head[i] = columns[i].toUpperCase(java.util.Locale.ROOT);
        }
        return head;
    }

    /** Aligned columns; a cell longer than {@code widest} is cut with an ellipsis (lists only: an object shows all). */
    private static void print(PrintWriter out, List<String[]> rows, int widest) {
        if (rows.isEmpty()) {
            return;
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], Math.min(row[i].length(), widest));
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String text = row[i].length() > widest ? row[i].substring(0, widest - 1) + "…" : row[i];
                line.append(text);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - text.length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
