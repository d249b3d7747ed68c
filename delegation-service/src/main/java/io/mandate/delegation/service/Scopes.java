package io.mandate.delegation.service;

import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.permissions.BadPermissionException;
import io.mandate.permissions.Permission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/** The scopes of a grant or request: checked against the grammar, then against what covers them. */
final class Scopes {

    static final int MAX = 100;

    private Scopes() {
    }

    /** Normalised, duplicates dropped, order kept; 400 naming the bad entry otherwise. */
    static List<String> checked(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ProblemException.invalid("scopes", "at least one scope is required");
        }
        if (requested.size() > MAX) {
            throw ProblemException.invalid("scopes", "at most " + MAX + " scopes");
        }
        List<String> scopes = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            try {
                scopes.add(Permission.parse(requested.get(i)).toString());
            } catch (BadPermissionException e) {
                throw new ProblemException(400, "permission_invalid", "Bad Request", e.getMessage(),
                        List.of(new Problem.FieldError("scopes[" + i + "]", e.getMessage())));
            }
        }
        return List.copyOf(new LinkedHashSet<>(scopes));
    }

    /** Refuses (403) the scopes that {@code held} does not cover, each listed with {@code whose} authority it exceeds. */
    static void requireCovered(Collection<String> held, List<String> scopes, String whose) {
        List<String> uncovered = Permission.uncovered(held, scopes);
        if (!uncovered.isEmpty()) {
            throw new ProblemException(403, "scope_not_covered", "Forbidden",
                    "not covered by " + whose + ": " + String.join(", ", uncovered),
                    uncovered.stream().map(s -> new Problem.FieldError("scopes", s + " is not covered by " + whose))
                            .toList());
        }
    }
}
