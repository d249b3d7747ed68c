package io.mandate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** RFC 9457 problem details with Mandate's stable machine {@code code} and per-field {@code errors}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String code, String title, String detail, List<FieldError> errors) {
        return new Problem("https://mandate.dev/problems/" + code.replace('_', '-'), title, status, detail, code,
                errors == null ? List.of() : errors);
    }
}
