package io.mandate.auditchain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The exact bytes an audit record's hash covers: RFC 8785 (JCS) canonical JSON, with one documented
 * difference for numbers. Objects: members sorted by key in UTF-16 code unit order, no whitespace;
 * strings: only {@code "}, {@code \}, and control characters escaped ({@code \b \f \n \r \t}, others
 * as backslash-u and four lower-case hex digits), everything else as UTF-8; {@code true}, {@code false}, {@code null} as is.
 * Numbers: the exact decimal value as written (never rounded through a double), trailing zeros of
 * the fraction removed, no exponent ({@code 1.50} and {@code 15e-1} are {@code 1.5}; {@code 1E3} is
 * {@code 1000}). JCS goes through IEEE 754 doubles instead; for the integers and short decimals in
 * Mandate events both rules give the same text.
 */
public final class CanonicalJson {

    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private CanonicalJson() {
    }

    /** The canonical UTF-8 bytes of a JSON document. */
    public static byte[] of(String json) {
        try {
            return of(EXACT.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    /** The canonical UTF-8 bytes of a value as Jackson writes it (maps, records, numbers, strings). */
    public static byte[] ofValue(Object value) {
        return of(EXACT.<JsonNode>valueToTree(value));
    }

    public static byte[] of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                names.sort(null); // String.compareTo: UTF-16 code units, as RFC 8785 §3.2.3 asks
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(names.get(i), out);
                    out.append(':');
                    write(node.get(names.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (Iterator<JsonNode> items = node.elements(); items.hasNext();) {
                    write(items.next(), out);
                    if (items.hasNext()) {
                        out.append(',');
                    }
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> out.append(number(node.decimalValue()));
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    static String number(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
