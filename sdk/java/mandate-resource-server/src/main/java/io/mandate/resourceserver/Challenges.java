package io.mandate.resourceserver;

import java.util.ArrayList;
import java.util.List;

/** {@code WWW-Authenticate} challenges: Bearer (RFC 6750 §3) and DPoP (RFC 9449 §7.1), with RFC 9728's metadata URL. */
final class Challenges {

    private static final String DPOP_ALGS = "ES256 EdDSA RS256 PS256";

    private Challenges() {
    }

    static String of(BadTokenException refusal, boolean dpopOnly, String metadataUrl) {
        List<String> params = new ArrayList<>();
        params.add("resource_metadata=\"" + quoted(metadataUrl) + "\"");
        if (refusal.error() != null) {
            params.add("error=\"" + refusal.error() + "\"");
            params.add("error_description=\"" + quoted(refusal.description()) + "\"");
        }
        if (!refusal.requiredScopes().isEmpty()) {
            params.add("scope=\"" + quoted(String.join(" ", refusal.requiredScopes())) + "\"");
        }
        String joined = String.join(", ", params);
        boolean dpopError = "invalid_dpop_proof".equals(refusal.error()) || "use_dpop_nonce".equals(refusal.error());
        String dpop = "DPoP algs=\"" + DPOP_ALGS + "\", " + joined;
        if (dpopOnly || dpopError) {
            return dpop;
        }
        // Both schemes are accepted: the error goes with Bearer, and DPoP is offered alongside.
        return "Bearer " + joined + ", DPoP algs=\"" + DPOP_ALGS + "\", resource_metadata=\"" + quoted(metadataUrl)
                + "\"";
    }

    /** RFC 9110 quoted-string: no raw quotes, backslashes or control characters. */
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return out.toString();
    }
}
