package io.mandate.token.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mandate.token.oauth.OAuthException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scope rules of a token request: a wildcard-aware subset of what is held, or invalid_scope. */
class TokenPolicyTest {

    private static final List<String> HELD = List.of("crm:contacts:read", "crm:deals:*", "files:*:read");

    @Test
    void noScopeAskedMeansEverythingHeld() {
        assertEquals(HELD, TokenPolicy.scopes(null, HELD));
    }

    @Test
    void aScopeCoveredByAWildcardIsGrantedAsAsked() {
        assertEquals(List.of("crm:deals:write", "files:reports:read"),
                TokenPolicy.scopes("crm:deals:write  files:reports:read", HELD));
    }

    @Test
    void repeatedScopesAreGrantedOnce() {
        assertEquals(List.of("crm:contacts:read"), TokenPolicy.scopes("crm:contacts:read crm:contacts:read", HELD));
    }

    @Test
    void aScopeBeyondWhatIsHeldIsInvalidScope() {
        OAuthException refused = assertThrows(OAuthException.class,
                () -> TokenPolicy.scopes("crm:contacts:read crm:contacts:delete", HELD));
        assertEquals("invalid_scope", refused.error());
        assertEquals(400, refused.status());
        assertEquals("scope 'crm:contacts:delete' exceeds what was granted", refused.body().get("error_description"));
    }

    @Test
    void aWiderWildcardThanHeldIsInvalidScope() {
        assertEquals("invalid_scope", assertThrows(OAuthException.class, () -> TokenPolicy.scopes("crm:*:*", HELD)).error());
    }

    @Test
    void aScopeThatIsNotAPermissionIsInvalidScope() {
        for (String bad : List.of("NOT-A-SCOPE", "crm:contacts", "crm::read", "a:b:c:d")) {
            assertEquals("invalid_scope", assertThrows(OAuthException.class, () -> TokenPolicy.scopes(bad, HELD)).error(),
                    bad);
        }
    }

    @Test
    void stillHeldKeepsOnlyWhatTheShrunkPermissionsCover() {
        List<String> issued = List.of("crm:contacts:read", "crm:deals:write", "files:reports:read");
        assertEquals(List.of("crm:deals:write"), TokenPolicy.stillHeld(issued, List.of("crm:deals:*")));
        assertEquals(List.of(), TokenPolicy.stillHeld(issued, List.of()));
        assertEquals(issued, TokenPolicy.stillHeld(issued, List.of("*:*:*")));
    }
}
