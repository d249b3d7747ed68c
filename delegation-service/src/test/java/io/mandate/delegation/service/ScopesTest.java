package io.mandate.delegation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mandate.api.ProblemException;
import io.mandate.permissions.ScopeCatalogue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scopes of a grant: grammar and bounds first, then covered by whoever lends them. */
class ScopesTest {

    @Test
    void repeatsAreDroppedInOrder() {
        assertEquals(List.of("crm:contacts:read", "crm:deals:*"),
                Scopes.checked(ScopeCatalogue.EMPTY, List.of("crm:contacts:read", "crm:deals:*", "crm:contacts:read")));
    }

    @Test
    void noScopesOrTooManyAreRefused() {
        assertEquals(400, assertThrows(ProblemException.class, () -> Scopes.checked(ScopeCatalogue.EMPTY, List.of())).problem().status());
        assertEquals(400, assertThrows(ProblemException.class, () -> Scopes.checked(ScopeCatalogue.EMPTY, null)).problem().status());
        List<String> many = new ArrayList<>(Collections.nCopies(Scopes.MAX + 1, "crm:contacts:read"));
        assertEquals(400, assertThrows(ProblemException.class, () -> Scopes.checked(ScopeCatalogue.EMPTY, many)).problem().status());
    }

    @Test
    void aBadScopeIsNamedByItsPosition() {
        ProblemException refused = assertThrows(ProblemException.class,
                () -> Scopes.checked(ScopeCatalogue.EMPTY, List.of("crm:contacts:read", "not a scope")));
        assertEquals("permission_invalid", refused.problem().code());
        assertEquals("scopes[1]", refused.problem().errors().get(0).field());
    }

    @Test
    void whatIsCoveredPassesAndWhatIsNotIsListed() {
        Scopes.requireCovered(ScopeCatalogue.EMPTY, List.of("crm:*:read"), List.of("crm:contacts:read", "crm:deals:read"), "the owner");
        ProblemException refused = assertThrows(ProblemException.class, () -> Scopes.requireCovered(ScopeCatalogue.EMPTY,
                List.of("crm:*:read"), List.of("crm:contacts:read", "crm:deals:write", "billing:invoices:read"), "the owner"));
        assertEquals(403, refused.problem().status());
        assertEquals("scope_not_covered", refused.problem().code());
        assertEquals("not covered by the owner: crm:deals:write, billing:invoices:read", refused.problem().detail());
    }

    @Test
    void whatTheCatalogueDoesNotKnowIsUnknownAndWhatItImpliesIsCovered() {
        ScopeCatalogue catalogue = ScopeCatalogue.of(Map.of("files:read", List.of(), "files:write", List.of("files:read"),
                "basic", List.of()));
        ProblemException unknown = assertThrows(ProblemException.class,
                () -> Scopes.checked(catalogue, List.of("files:read", "files:delete", "premium")));
        assertEquals(400, unknown.problem().status());
        assertEquals("scope_unknown", unknown.problem().code());
        assertEquals("not in the tenant's permission catalogue: files:delete, premium", unknown.problem().detail());
        assertEquals(List.of("files:*"), Scopes.checked(catalogue, List.of("files:*")));

        Scopes.requireCovered(catalogue, List.of("files:write"), List.of("files:read"), "the owner");
        ProblemException notHeld = assertThrows(ProblemException.class,
                () -> Scopes.requireCovered(catalogue, List.of("files:write"), List.of("files:read", "basic"), "the owner"));
        assertEquals("scope_not_covered", notHeld.problem().code());
        assertEquals("not covered by the owner: basic", notHeld.problem().detail());
    }
}
