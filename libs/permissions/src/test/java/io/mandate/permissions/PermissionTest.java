package io.mandate.permissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PermissionTest {

    @Test
    void wildcardPartCoversAnyValueInThatPart() {
        assertTrue(Permission.parse("crm:contacts:*").covers(Permission.parse("crm:contacts:read")));
        assertTrue(Permission.parse("*:*:*").covers(Permission.parse("billing:invoices:delete")));
        assertTrue(Permission.parse("crm:*:read").covers(Permission.parse("crm:*:read")));
    }

    @Test
    void narrowerPermissionDoesNotCoverWiderOrDifferentOne() {
        assertFalse(Permission.parse("crm:contacts:read").covers(Permission.parse("crm:contacts:*")));
        assertFalse(Permission.parse("crm:contacts:read").covers(Permission.parse("crm:contacts:write")));
        assertFalse(Permission.parse("crm:*:read").covers(Permission.parse("billing:x:read")));
    }

    @Test
    void anyCoversChecksEveryHeldPermission() {
        var held = List.of(Permission.parse("a:b:c"), Permission.parse("x:*:read"));
        assertTrue(Permission.anyCovers(held, Permission.parse("x:files:read")));
        assertFalse(Permission.anyCovers(held, Permission.parse("x:files:write")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "a:b:c:d", "A:b:c", "a:b*:c", "a::c", "a:b:c ", "a:b:é"})
    void malformedPermissionsAreRefused(String text) {
        BadPermissionException e = assertThrows(BadPermissionException.class, () -> Permission.parse(text));
        assertEquals(text, e.permission());
    }
}
