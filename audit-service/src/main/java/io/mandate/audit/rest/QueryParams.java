package io.mandate.audit.rest;

import io.mandate.api.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Query parameters the audit resources share. */
final class QueryParams {

    private QueryParams() {
    }

    /** An RFC 3339 date-time with offset ({@code 2026-11-22T10:00:00Z}), or null. */
    static Instant time(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "an RFC 3339 date-time such as 2026-11-22T10:00:00Z");
        }
    }
}
