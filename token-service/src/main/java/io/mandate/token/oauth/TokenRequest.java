package io.mandate.token.oauth;

import io.mandate.api.WireText;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code application/x-www-form-urlencoded} token request plus who sent it: the form, the
 * {@code Authorization} and {@code DPoP} headers, the client's address and user agent.
 */
public record TokenRequest(Map<String, List<String>> form, String authorization, String dpop, String ip,
        String userAgent) {

    /** Parameters that may be repeated (RFC 8707 §2: several resources; RFC 8693 §2.1: several audiences). */
    private static final Set<String> REPEATABLE = Set.of("resource", "audience");

    /** Reads a request to one of the OAuth endpoints: the form body, client credentials and origin. */
    public static TokenRequest from(String body, HttpServerRequest http) {
        if (!isForm(http.getHeader(HttpHeaders.CONTENT_TYPE))) {
            throw OAuthException.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        List<String> dpop = http.headers().getAll("DPoP");
        if (dpop.size() > 1) {
            throw OAuthException.invalidDpopProof("send one DPoP header");
        }
        return new TokenRequest(parseForm(body), http.getHeader(HttpHeaders.AUTHORIZATION),
                dpop.isEmpty() ? null : dpop.get(0), http.remoteAddress().hostAddress(),
                http.getHeader(HttpHeaders.USER_AGENT));
    }

    /** The parameters of a request to the authorization endpoint: its query string (RFC 6749 §4.1.1). */
    public static TokenRequest fromQuery(String rawQuery, HttpServerRequest http) {
        return new TokenRequest(parseForm(rawQuery), null, null, http.remoteAddress().hostAddress(),
                http.getHeader(HttpHeaders.USER_AGENT));
    }

    private static boolean isForm(String contentType) {
        try {
            return contentType != null
                    && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Parses the form; a repeated parameter is refused (RFC 6749 §3.2) unless it may repeat. */
    static Map<String, List<String>> parseForm(String body) {
        Map<String, List<String>> form = new HashMap<>();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            List<String> values = form.computeIfAbsent(name, n -> new ArrayList<>(1));
            if (!values.isEmpty() && !REPEATABLE.contains(name)) {
                throw OAuthException.invalidRequest("parameter '" + name + "' is repeated");
            }
            values.add(value);
        }
        return form;
    }

    /** A single-valued parameter; absent and empty are the same (RFC 6749 §3.1). */
    public String parameter(String name) {
        List<String> values = form.get(name);
        String value = values == null ? null : values.get(0);
        return value == null || value.isEmpty() ? null : value;
    }

    /** Every non-empty value of a repeatable parameter. */
    public List<String> parameters(String name) {
        return form.getOrDefault(name, List.of()).stream().filter(v -> !v.isEmpty()).toList();
    }

    public String grantType() {
        return parameter("grant_type");
    }

    /** Decodes a client id or secret taken from HTTP Basic (RFC 6749 §2.3.1); unstorable text is no client. */
    public static String decodeCredential(String text) {
        try {
            return WireText.percentDecoded(text, true);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient(true);
        }
    }

    static String decode(String text) {
        try {
            return WireText.percentDecoded(text, true);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("a form parameter " + e.getMessage());
        }
    }
}
