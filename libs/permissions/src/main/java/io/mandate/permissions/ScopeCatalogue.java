package io.mandate.permissions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scopes a tenant knows and what each implies ({@code files:write} implies {@code files:read},
 * {@code admin} implies {@code *}), with the one subset rule every service applies: a request is
 * covered when a held scope, or a scope the held ones imply, covers it. Holding a scope that covers
 * an entry (a wildcard) counts as holding the entry, so it implies what the entry implies. A catalogue
 * without entries knows every well-formed scope and implies nothing; one built from
 * {@link #implications} only adds what its entries imply, and knows every scope too. Immutable.
 */
public final class ScopeCatalogue {

    public static final ScopeCatalogue EMPTY = new ScopeCatalogue(Map.of(), false);

    private final Map<Scope, List<Scope>> entries;
    /** Whether only the entries exist (else every well-formed scope does). */
    private final boolean closed;

    private ScopeCatalogue(Map<Scope, List<Scope>> entries, boolean closed) {
        this.entries = entries;
        this.closed = closed;
    }

    /**
     * The scopes that exist, each with the scopes it implies (none for a plain entry); without entries,
     * every scope exists. Throws {@link BadScopeException}.
     */
    public static ScopeCatalogue of(Map<String, ? extends Collection<String>> entries) {
        return entries.isEmpty() ? EMPTY : new ScopeCatalogue(parse(entries), true);
    }

    /** What {@code entries} imply, without saying that they are all that exists. */
    public static ScopeCatalogue implications(Map<String, ? extends Collection<String>> entries) {
        return entries.isEmpty() ? EMPTY : new ScopeCatalogue(parse(entries), false);
    }

    /** Both catalogues' entries and implications; closed if either is. */
    public ScopeCatalogue and(ScopeCatalogue other) {
        Map<Scope, List<Scope>> merged = new LinkedHashMap<>(entries);
        other.entries.forEach((entry, implied) -> merged.merge(entry, implied,
                (mine, theirs) -> java.util.stream.Stream.concat(mine.stream(), theirs.stream()).distinct().toList()));
        return new ScopeCatalogue(Map.copyOf(merged), closed || other.closed);
    }

    /** Collects a tenant's listed permissions and its resources' scopes, row by row. */
    public static final class Builder {

        private final Map<String, List<String>> listed = new LinkedHashMap<>();
        private final Map<String, List<String>> implying = new LinkedHashMap<>();

        /** A permission the tenant lists: it exists, and implies {@code implies}. */
        public Builder listed(String scope, Collection<String> implies) {
            listed.computeIfAbsent(scope, k -> new ArrayList<>()).addAll(implies);
            return this;
        }

        /** A scope a resource lists: it implies {@code implies}, and exists where the tenant lists nothing. */
        public Builder implying(String scope, Collection<String> implies) {
            implying.computeIfAbsent(scope, k -> new ArrayList<>()).addAll(implies);
            return this;
        }

        public ScopeCatalogue build() {
            return of(listed).and(implications(implying));
        }
    }

    private static Map<Scope, List<Scope>> parse(Map<String, ? extends Collection<String>> entries) {
        Map<Scope, List<Scope>> parsed = new LinkedHashMap<>();
        entries.forEach((entry, implied) -> parsed.put(Scope.parse(entry), parse(implied)));
        return Map.copyOf(parsed);
    }

    /** The entries, each with what it implies. */
    public Map<String, List<String>> entries() {
        Map<String, List<String>> view = new LinkedHashMap<>();
        entries.forEach((entry, implied) -> view.put(entry.value(), implied.stream().map(Scope::value).toList()));
        return view;
    }

    /**
     * The members of {@code requested} the catalogue does not know: not an entry, or a wildcard
     * covering no entry. Nothing is unknown to a catalogue that is not {@link #closed}.
     */
    public List<String> unknown(Collection<String> requested) {
        if (!closed) {
            return List.of();
        }
        return requested.stream().filter(text -> {
            Scope scope = Scope.parse(text);
            return entries.keySet().stream().noneMatch(scope::covers);
        }).toList();
    }

    /** {@code held} and everything it implies, transitively. */
    public List<Scope> closure(Collection<String> held) {
        List<Scope> holding = parse(held);
        Set<Scope> applied = new HashSet<>();
        boolean grew = !entries.isEmpty();
        while (grew) {
            grew = false;
            for (Map.Entry<Scope, List<Scope>> entry : entries.entrySet()) {
                if (!entry.getValue().isEmpty() && !applied.contains(entry.getKey()) && anyCovers(holding, entry.getKey())) {
                    applied.add(entry.getKey());
                    entry.getValue().stream().filter(implied -> !holding.contains(implied)).forEach(holding::add);
                    grew = true;
                }
            }
        }
        return holding;
    }

    /** The members of {@code requested} that {@code held} does not cover, in order. */
    public List<String> uncovered(Collection<String> held, Collection<String> requested) {
        List<Scope> holding = closure(held);
        return requested.stream().filter(text -> !anyCovers(holding, Scope.parse(text))).toList();
    }

    /** The members of {@code requested} that {@code held} covers, in order. */
    public List<String> covered(Collection<String> held, Collection<String> requested) {
        List<Scope> holding = closure(held);
        return requested.stream().filter(text -> anyCovers(holding, Scope.parse(text))).toList();
    }

    private static boolean anyCovers(Collection<Scope> held, Scope requested) {
        return held.stream().anyMatch(scope -> scope.covers(requested));
    }

    private static List<Scope> parse(Collection<String> scopes) {
        if (scopes == null) {
            return new ArrayList<>();
        }
        List<Scope> parsed = new ArrayList<>(scopes.size());
        scopes.forEach(text -> parsed.add(Scope.parse(text)));
        return parsed;
    }
}
