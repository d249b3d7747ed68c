package io.mandate.delegation.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.api.ProblemException;

/**
 * RFC 9396 authorization details on a request: an array of objects, each naming its {@code type}; kept as the
 * agent sent them (at most 8 KiB) for the person to read and for the token to carry.
 */
final class AuthorizationDetails {

    private static final int MAX_CHARS = 8192;

    private AuthorizationDetails() {
    }

    /** The details as JSON text, or null when none were sent; 400 when they are not RFC 9396's shape. */
    static String checked(JsonNode details) {
        if (details == null || details.isNull()) {
            return null;
        }
        if (!details.isArray() || details.isEmpty()) {
            throw ProblemException.invalid("authorization_details", "must be a non-empty array of objects");
        }
        for (JsonNode detail : details) {
            if (!detail.isObject() || !detail.path("type").isTextual() || detail.path("type").asText().isBlank()) {
                throw ProblemException.invalid("authorization_details", "each entry must be an object with a type");
            }
        }
        String json = details.toString();
        if (json.length() > MAX_CHARS) {
            throw ProblemException.invalid("authorization_details", "at most " + MAX_CHARS + " characters");
        }
        return json;
    }
}
