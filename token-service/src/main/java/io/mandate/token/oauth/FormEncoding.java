package io.mandate.token.oauth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code application/x-www-form-urlencoded} the other way round from {@link TokenRequest}: what Mandate sends. */
public final class FormEncoding {

    private FormEncoding() {
    }

    /** {@code name=value&...}, each percent-encoded, in the map's order. */
    public static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** {@code uri} with {@code values} added to its query (a redirect URI may already have one). */
    public static String withQuery(String uri, Map<String, String> values) {
        return uri + (uri.contains("?") ? "&" : "?") + form(values);
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
