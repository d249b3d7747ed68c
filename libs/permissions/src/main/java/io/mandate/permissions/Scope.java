package io.mandate.permissions;

import java.util.Arrays;
import java.util.List;

/**
 * A permission or scope: any RFC 6749 scope token ({@code read}, {@code read:reports},
 * {@code files:read}, {@code crm:contacts:read}), compared case-sensitively. Two forms of wildcard:
 * {@code *} alone covers every scope, and {@code *} as a whole {@code :}-separated part covers any
 * value of that part in a scope with as many parts ({@code crm:*:read} covers {@code crm:deals:read},
 * {@code *:*:*} every three-part scope, {@code files:*} every two-part {@code files:} scope).
 */
public record Scope(String value) {

    /** Longer than any scope the systems Mandate replaces use; a bound on token and row sizes. */
    public static final int MAX_LENGTH = 200;
    public static final String EVERYTHING = "*";

    /**
     * Parses a scope token: printable ASCII without space, {@code "} or {@code \} (RFC 6749 §3.3),
     * and without {@code ,} (scope lists travel comma-separated in places); no empty {@code :} part.
     */
    public static Scope parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new BadScopeException(String.valueOf(text), "must not be empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new BadScopeException(text.substring(0, 32) + "…", "longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\' || c == ',') {
                throw new BadScopeException(text,
                        "printable ASCII only, without spaces, quotes, backslashes or commas (RFC 6749 §3.3)");
            }
        }
        if (text.startsWith(":") || text.endsWith(":") || text.contains("::")) {
            throw new BadScopeException(text, "a ':'-separated part must not be empty");
        }
        return new Scope(text);
    }

    /** True if holding this scope allows {@code requested} (a wildcard covers itself and anything narrower). */
    public boolean covers(Scope requested) {
        if (value.equals(requested.value) || value.equals(EVERYTHING)) {
            return true;
        }
        if (!wildcard()) {
            return false;
        }
        List<String> held = parts();
        List<String> wanted = requested.parts();
        if (held.size() != wanted.size()) {
            return false;
        }
        for (int i = 0; i < held.size(); i++) {
            if (!held.get(i).equals("*") && !held.get(i).equals(wanted.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** True for {@code *} and for a scope with {@code *} as a whole part: it names many scopes. */
    public boolean wildcard() {
        return value.equals(EVERYTHING) || parts().contains("*");
    }

    private List<String> parts() {
        return Arrays.asList(value.split(":", -1));
    }

    @Override
    public String toString() {
        return value;
    }
}
