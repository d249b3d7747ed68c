package io.mandate.token.grant;

import io.mandate.token.rest.OAuthException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A parsed {@code application/x-www-form-urlencoded} token request plus who sent it. */
public record TokenRequest(Map<String, String> parameters, String authorization, String ip, String userAgent) {

    /** Reads a request to one of the OAuth endpoints: the form body, client credentials and origin. */
    public static TokenRequest from(String body, HttpHeaders headers, HttpServerRequest http) {
        MediaType type = headers.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            throw OAuthException.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        return new TokenRequest(parseForm(body), headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                http.remoteAddress().hostAddress(), headers.getHeaderString(HttpHeaders.USER_AGENT));
    }

    /** Parses the form; a repeated parameter is refused (RFC 6749 §3.2). */
    public static Map<String, String> parseForm(String body) {
        Map<String, String> parameters = new HashMap<>();
        if (body == null || body.isEmpty()) {
            return parameters;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (parameters.put(name, value) != null) {
                throw OAuthException.invalidRequest("parameter '" + name + "' is repeated");
            }
        }
        return parameters;
    }

    public String parameter(String name) {
        String value = parameters.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    public String grantType() {
        return parameter("grant_type");
    }

    /** Decodes a client id or secret taken from HTTP Basic (RFC 6749 §2.3.1). */
    public static String decodeCredential(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient(true);
        }
    }

    static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("the form body is not valid application/x-www-form-urlencoded");
        }
    }
}
