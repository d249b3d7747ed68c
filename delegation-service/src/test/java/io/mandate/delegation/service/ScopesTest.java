package io.mandate.delegation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mandate.api.ProblemException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scopes of a grant: grammar and bounds first, then covered by whoever lends them. */
class ScopesTest {

    @Test
    void scopesAreNormalisedAndRepeatsDropped() {
        assertEquals(List.of("crm:contacts:read", "crm:deals:*"),
                Scopes.checked(List.of("crm:contacts:read", "crm:deals:*", "crm:contacts:read")));
    }

    @Test
    void noScopesOrTooManyAreRefused() {
        assertEquals(400, assertThrows(ProblemException.class, () -> Scopes.checked(List.of())).problem().status());
        assertEquals(400, assertThrows(ProblemException.class, () -> Scopes.checked(null)).problem().status());
        List<String> many = new ArrayList<>(Collections.nCopies(Scopes.MAX + 1, "crm:contacts:read"));
        assertEquals(400, assertThrows(ProblemException.class, () -> Scopes.checked(many)).problem().status());
    }

    @Test
    void aBadScopeIsNamedByItsPosition() {
        ProblemException refused = assertThrows(ProblemException.class,
                () -> Scopes.checked(List.of("crm:contacts:read", "Not A Scope")));
        assertEquals("permission_invalid", refused.problem().code());
        assertEquals("scopes[1]", refused.problem().errors().get(0).field());
    }

    @Test
    void whatIsCoveredPassesAndWhatIsNotIsListed() {
        Scopes.requireCovered(List.of("crm:*:read"), List.of("crm:contacts:read", "crm:deals:read"), "the owner");
        ProblemException refused = assertThrows(ProblemException.class, () -> Scopes.requireCovered(
                List.of("crm:*:read"), List.of("crm:contacts:read", "crm:deals:write", "billing:invoices:read"), "the owner"));
        assertEquals(403, refused.problem().status());
        assertEquals("scope_not_covered", refused.problem().code());
        assertEquals("not covered by the owner: crm:deals:write, billing:invoices:read", refused.problem().detail());
    }
}
