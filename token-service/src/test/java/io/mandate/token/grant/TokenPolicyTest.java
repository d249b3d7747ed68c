package io.mandate.token.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mandate.permissions.ScopeCatalogue;
import io.mandate.token.oauth.OAuthException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scope rules of a token request: a subset of what is held (wildcards, and what the tenant's catalogue
 * says each scope implies), or invalid_scope saying whether the scope is unknown or not held.
 */
class TokenPolicyTest {

    private static final List<String> HELD = List.of("crm:contacts:read", "crm:deals:*", "files:*:read");
    private static final ScopeCatalogue NONE = ScopeCatalogue.EMPTY;
    private static final ScopeCatalogue AGENT_UP = ScopeCatalogue.of(Map.of("files:read", List.of(),
            "files:write", List.of("files:read"), "basic", List.of(), "premium", List.of("basic"), "admin", List.of("*")));

    @Test
    void noScopeAskedMeansEverythingHeld() {
        assertEquals(HELD, TokenPolicy.scopes(NONE, null, HELD));
    }

    @Test
    void aScopeCoveredByAWildcardIsGrantedAsAsked() {
        assertEquals(List.of("crm:deals:write", "files:reports:read"),
                TokenPolicy.scopes(NONE, "crm:deals:write  files:reports:read", HELD));
    }

    @Test
    void repeatedScopesAreGrantedOnce() {
        assertEquals(List.of("crm:contacts:read"), TokenPolicy.scopes(NONE, "crm:contacts:read crm:contacts:read", HELD));
    }

    @Test
    void aScopeBeyondWhatIsHeldIsInvalidScope() {
        OAuthException refused = assertThrows(OAuthException.class,
                () -> TokenPolicy.scopes(NONE, "crm:contacts:read crm:contacts:delete", HELD));
        assertEquals("invalid_scope", refused.error());
        assertEquals(400, refused.status());
        assertEquals("not held: crm:contacts:delete", refused.body().get("error_description"));
    }

    @Test
    void aWiderWildcardThanHeldIsInvalidScope() {
        assertEquals("invalid_scope", assertThrows(OAuthException.class,
                () -> TokenPolicy.scopes(NONE, "crm:*:*", HELD)).error());
    }

    @Test
    void whatIsNoScopeTokenIsInvalidScope() {
        for (String bad : List.of("say\"hi\"", "crm::read", "a,b", "tab\tscope", "é")) {
            assertEquals("invalid_scope", assertThrows(OAuthException.class,
                    () -> TokenPolicy.scopes(NONE, bad, HELD)).error(), bad);
        }
    }

    @Test
    void theSeedsScopesAreGrantedThroughWhatTheyImply() {
        assertEquals(List.of("files:read"), TokenPolicy.scopes(AGENT_UP, "files:read", List.of("files:write")));
        assertEquals(List.of("basic", "files:read"), TokenPolicy.scopes(AGENT_UP, "basic files:read", List.of("admin")));
        assertEquals(List.of("read:reports"), TokenPolicy.scopes(NONE, "read:reports", List.of("read:reports")));
        assertEquals(List.of("read", "write"), TokenPolicy.scopes(NONE, "read write", List.of("read", "write")));
    }

    @Test
    void anUnknownScopeIsToldApartFromOneNotHeld() {
        OAuthException unknown = assertThrows(OAuthException.class,
                () -> TokenPolicy.scopes(AGENT_UP, "files:read files:delete", List.of("admin")));
        assertEquals("invalid_scope", unknown.error());
        assertEquals("unknown scope: files:delete", unknown.body().get("error_description"));
        OAuthException notHeld = assertThrows(OAuthException.class,
                () -> TokenPolicy.scopes(AGENT_UP, "premium", List.of("basic", "files:write")));
        assertEquals("not held: premium", notHeld.body().get("error_description"));
    }

    @Test
    void stillHeldKeepsOnlyWhatTheShrunkPermissionsCover() {
        List<String> issued = List.of("crm:contacts:read", "crm:deals:write", "files:reports:read");
        assertEquals(List.of("crm:deals:write"), TokenPolicy.stillHeld(NONE, issued, List.of("crm:deals:*")));
        assertEquals(List.of(), TokenPolicy.stillHeld(NONE, issued, List.of()));
        assertEquals(issued, TokenPolicy.stillHeld(NONE, issued, List.of("*:*:*")));
        assertEquals(List.of("basic"), TokenPolicy.stillHeld(AGENT_UP, List.of("basic", "admin"), List.of("premium")));
    }
}
