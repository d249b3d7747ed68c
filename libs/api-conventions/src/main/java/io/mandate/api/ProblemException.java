package io.mandate.api;

import java.util.List;

/** A request the service refuses, carrying the problem+json the caller receives. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(int status, String code, String title, String detail, List<Problem.FieldError> errors) {
        super(code + ": " + detail, null, false, false);
        this.problem = Problem.of(status, code, title, detail, errors);
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(400, code, "Bad Request", detail, List.of());
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "validation_failed", "Bad Request", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Unauthorized", detail, List.of());
    }

    public static ProblemException forbidden(String code, String detail) {
        return new ProblemException(403, code, "Forbidden", detail, List.of());
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(404, code, "Not Found", detail, List.of());
    }

    public static ProblemException conflict(String code, String detail) {
        return new ProblemException(409, code, "Conflict", detail, List.of());
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "unavailable", "Service Unavailable", detail, List.of());
    }
}
