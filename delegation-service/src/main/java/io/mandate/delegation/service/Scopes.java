package io.mandate.delegation.service;

import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.permissions.BadScopeException;
import io.mandate.permissions.Scope;
import io.mandate.permissions.ScopeCatalogue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The scopes of a grant or request: scope tokens the tenant's catalogue knows, then covered (with what
 * the catalogue says each implies) by whoever lends them.
 */
final class Scopes {

    static final int MAX = 100;

    private Scopes() {
    }

    /** Duplicates dropped, order kept; 400 naming the bad entry ({@code permission_invalid}, {@code scope_unknown}). */
    static List<String> checked(ScopeCatalogue catalogue, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ProblemException.invalid("scopes", "at least one scope is required");
        }
        if (requested.size() > MAX) {
            throw ProblemException.invalid("scopes", "at most " + MAX + " scopes");
        }
        List<String> scopes = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            try {
                scopes.add(Scope.parse(requested.get(i)).value());
            } catch (BadScopeException e) {
                throw new ProblemException(400, "permission_invalid", "Bad Request", e.getMessage(),
                        List.of(new Problem.FieldError("scopes[" + i + "]", e.getMessage())));
            }
        }
        List<String> unknown = catalogue.unknown(scopes);
        if (!unknown.isEmpty()) {
            throw new ProblemException(400, "scope_unknown", "Bad Request",
                    "not in the tenant's permission catalogue: " + String.join(", ", unknown),
                    unknown.stream().map(s -> new Problem.FieldError("scopes", s + " is not in the catalogue")).toList());
        }
        return List.copyOf(new LinkedHashSet<>(scopes));
    }

    /** Refuses (403) the scopes that {@code held} does not cover, each listed with {@code whose} authority it exceeds. */
    static void requireCovered(ScopeCatalogue catalogue, Collection<String> held, List<String> scopes, String whose) {
        List<String> uncovered = catalogue.uncovered(held, scopes);
        if (!uncovered.isEmpty()) {
            throw new ProblemException(403, "scope_not_covered", "Forbidden",
                    "not covered by " + whose + ": " + String.join(", ", uncovered),
                    uncovered.stream().map(s -> new Problem.FieldError("scopes", s + " is not covered by " + whose))
                            .toList());
        }
    }
}
