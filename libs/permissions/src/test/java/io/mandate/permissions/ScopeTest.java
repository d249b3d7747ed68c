package io.mandate.permissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {

    @ParameterizedTest
    @ValueSource(strings = {"read", "write", "basic", "read:reports", "files:read", "crm:contacts:read", "*:*:*", "*",
        "https://api.example.com/read", "Mixed.Case_scope-1", "a:b:c:d", "openid", "offline_access"})
    void everyScopeTokenOfRfc6749Parses(String text) {
        assertEquals(text, Scope.parse(text).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "say\"hi\"", "back\\slash", "a,b", "é", "tab\t", ":read", "read:", "a::b"})
    void whatIsNoScopeTokenIsRefused(String text) {
        BadScopeException e = assertThrows(BadScopeException.class, () -> Scope.parse(text));
        assertEquals(text, e.scope());
    }

    @Test
    void aScopeLongerThanTheBoundIsRefusedWithoutEchoingAllOfIt() {
        String longScope = "x".repeat(Scope.MAX_LENGTH + 1);
        BadScopeException e = assertThrows(BadScopeException.class, () -> Scope.parse(longScope));
        assertTrue(e.getMessage().length() < 120, e.getMessage());
        assertEquals(Scope.MAX_LENGTH, Scope.parse("x".repeat(Scope.MAX_LENGTH)).value().length());
    }

    @Test
    void scopesCompareCaseSensitively() {
        assertFalse(Scope.parse("Read").covers(Scope.parse("read")));
    }

    @Test
    void onlyAWholeStarPartIsAWildcard() {
        assertTrue(Scope.parse("files:*").wildcard());
        assertTrue(Scope.parse("*").wildcard());
        assertFalse(Scope.parse("files:re*").wildcard());
        assertFalse(Scope.parse("files:re*").covers(Scope.parse("files:read")));
    }
}
