package io.mandate.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengesTest {

    private static final String METADATA = "https://api.test/.well-known/oauth-protected-resource/reports";

    @Test
    void aMissingTokenGetsBothSchemesWithoutAnError() {
        assertEquals("Bearer resource_metadata=\"" + METADATA + "\", DPoP algs=\"ES256 EdDSA RS256 PS256\", "
                + "resource_metadata=\"" + METADATA + "\"", Challenges.of(BadTokenException.missing(), false, METADATA));
    }

    @Test
    void insufficientScopeNamesTheScopes() {
        assertEquals("Bearer resource_metadata=\"" + METADATA + "\", error=\"insufficient_scope\", "
                + "error_description=\"the access token lacks reports:write\", scope=\"reports:write\", "
                + "DPoP algs=\"ES256 EdDSA RS256 PS256\", resource_metadata=\"" + METADATA + "\"",
                Challenges.of(BadTokenException.insufficientScope(List.of("reports:write")), false, METADATA));
    }

    @Test
    void aDpopOnlyApiOffersDpopAloneAndQuotesSafely() {
        assertEquals("DPoP algs=\"ES256 EdDSA RS256 PS256\", resource_metadata=\"" + METADATA + "\", "
                + "error=\"invalid_token\", error_description=\"kid \\\"x\\\" is ?\"",
                Challenges.of(BadTokenException.invalidToken("kid \"x\" is \n"), true, METADATA));
    }

    @Test
    void theMetadataLivesAtTheWellKnownPathOfTheResource() {
        ProtectedResourceMetadata metadata = new ProtectedResourceMetadata("https://api.test/reports",
                "https://mandate.test", List.of("reports:read"), "Reports", true);
        assertEquals(METADATA, metadata.url());
        assertEquals(true, metadata.document().get("dpop_bound_access_tokens_required"));
        assertEquals("/.well-known/oauth-protected-resource",
                new ProtectedResourceMetadata("https://api.test", "x", List.of(), null, false).path());
    }
}
