package io.mandate.client;

import java.time.Duration;
import java.util.Map;

/**
 * A Mandate API's error answer (RFC 9457 problem+json): {@link #error()} is its {@code code}
 * ({@code agent_not_found}, {@code permission_not_held}, ...), {@link #description()} its {@code detail}.
 */
public final class ApiProblemException extends MandateException {

    private final Map<String, Object> problem;

    public ApiProblemException(int status, Map<String, Object> problem, Duration retryAfter) {
        super(status, text(problem, "code", "http_" + status), text(problem, "detail", text(problem, "title", null)),
                retryAfter, null);
        this.problem = Map.copyOf(problem);
    }

    /** The whole problem document, extension members included (for instance {@code errors} on a 400). */
    public Map<String, Object> problem() {
        return problem;
    }

    private static String text(Map<String, Object> problem, String name, String fallback) {
        return problem.get(name) instanceof String value ? value : fallback;
    }
}
