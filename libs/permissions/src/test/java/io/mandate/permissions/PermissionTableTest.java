package io.mandate.permissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wildcard table: does holding {@code held} allow {@code requested}? */
class PermissionTableTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "svc:*:*,        svc:res:read,      true",
        "*:res:act,      x:res:act,         true",
        "*:*:*,          a:b:c,             true",
        "*:*:*,          *:*:*,             true",
        "svc:res:*,      svc:res:read,      true",
        "svc:res:*,      svc:res:*,         true",
        "svc:*:read,     svc:files:read,    true",
        "svc:*:read,     svc:*:read,        true",
        "svc:res:read,   svc:res:read,      true",
        "a-b:c_d:e1,     a-b:c_d:e1,        true",
        "svc:res:read,   svc:res:*,         false",
        "svc:res:read,   svc:res:write,     false",
        "svc:res:read,   svc:other:read,    false",
        "svc:res:read,   other:res:read,    false",
        "svc:*:*,        other:res:read,    false",
        "*:res:act,      x:other:act,       false",
        "*:res:act,      x:res:other,       false",
        "svc:*:read,     svc:*:*,           false",
        "svc:*:read,     svc:files:write,   false",
        "svc:res:*,      svc:*:read,        false",
        "*:*:read,       *:*:*,             false",
        "svc:res:read,   *:*:*,             false",
    })
    void wildcardCoverage(String held, String requested, boolean covered) {
        assertEquals(covered, Permission.parse(held).covers(Permission.parse(requested)));
    }
}
