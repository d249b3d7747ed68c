package io.mandate.permissions;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A permission {@code service:resource:action}: lowercase {@code [a-z0-9_-]} per part, or {@code *}
 * as a whole part. {@code *:*:*} is admin. The one matcher every service uses.
 */
public record Permission(String service, String resource, String action) {

    private static final Pattern PART = Pattern.compile("\\*|[a-z0-9_-]{1,64}");

    /** Parses a permission; throws {@link BadPermissionException} for anything off the grammar. */
    public static Permission parse(String text) {
        if (text == null) {
            throw new BadPermissionException("null", "must not be null");
        }
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new BadPermissionException(text, "must have the form service:resource:action");
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw new BadPermissionException(text,
                        "each part must be '*' or 1-64 characters of lowercase letters, digits, '_' or '-'");
            }
        }
        return new Permission(parts[0], parts[1], parts[2]);
    }

    /** True if holding this permission allows {@code requested} (a wildcard covers any value, and itself). */
    public boolean covers(Permission requested) {
        return part(service, requested.service) && part(resource, requested.resource) && part(action, requested.action);
    }

    /** True if any of {@code held} covers {@code requested}. */
    public static boolean anyCovers(Collection<Permission> held, Permission requested) {
        return held.stream().anyMatch(p -> p.covers(requested));
    }

    /**
     * The entries of {@code requested} that no entry of {@code held} covers, in order. Both are
     * permission strings; a malformed one throws {@link BadPermissionException}.
     */
    public static List<String> uncovered(Collection<String> held, Collection<String> requested) {
        List<Permission> holding = held.stream().map(Permission::parse).toList();
        return requested.stream().filter(p -> !anyCovers(holding, parse(p))).toList();
    }

    private static boolean part(String held, String requested) {
        return held.equals("*") || held.equals(requested);
    }

    @Override
    public String toString() {
        return service + ":" + resource + ":" + action;
    }
}
