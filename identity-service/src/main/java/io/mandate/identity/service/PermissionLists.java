package io.mandate.identity.service;

import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.permissions.BadScopeException;
import io.mandate.permissions.Scope;
import io.mandate.permissions.ScopeCatalogue;
import java.util.LinkedHashSet;
import java.util.List;

/** Permission lists as stored: each entry a scope token, duplicates dropped, order kept. */
final class PermissionLists {

    private PermissionLists() {
    }

    static List<String> checked(List<String> requested, int max) {
        if (requested.size() > max) {
            throw ProblemException.invalid("permissions", "at most " + max + " permissions");
        }
        try {
            return List.copyOf(new LinkedHashSet<>(requested.stream().map(p -> Scope.parse(p).value()).toList()));
        } catch (BadScopeException e) {
            throw new ProblemException(400, "permission_invalid", "Bad Request", e.getMessage(),
                    List.of(new Problem.FieldError("permissions", e.getMessage())));
        }
    }

    /** Refuses (403) the entries of {@code requested} that {@code held} does not cover, listing them. */
    static void requireCovered(ScopeCatalogue catalogue, List<String> held, List<String> requested) {
        List<String> uncovered = catalogue.uncovered(held, requested);
        if (!uncovered.isEmpty()) {
            throw new ProblemException(403, "permission_not_held", "Forbidden",
                    "the caller does not hold: " + String.join(", ", uncovered),
                    uncovered.stream().map(p -> new Problem.FieldError("permissions", p + " is not covered")).toList());
        }
    }
}
