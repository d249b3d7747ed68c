package io.mandate.client;

import java.time.Duration;
import java.util.Optional;

/**
 * Mandate refused a request or could not be reached: the HTTP status (0 when no answer came), the server's error
 * code and its description. {@link OAuthErrorException} and {@link ApiProblemException} say which kind of endpoint
 * answered.
 */
public class MandateException extends RuntimeException {

    private final int status;
    private final String error;
    private final String description;
    private final Duration retryAfter;

    public MandateException(int status, String error, String description, Duration retryAfter, Throwable cause) {
        super(message(status, error, description), cause);
        this.status = status;
        this.error = error;
        this.description = description;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status, or 0 when Mandate could not be reached. */
    public int status() {
        return status;
    }

    /** The server's error code: {@code invalid_client}, {@code agent_not_found}, ...; {@code unreachable} without an answer. */
    public String error() {
        return error;
    }

    /** What the server said about it, or null. */
    public String description() {
        return description;
    }

    /** How long the server asked to wait (429, 503), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String message(int status, String error, String description) {
        String head = status == 0 ? error : status + " " + error;
        return description == null || description.isBlank() ? head : head + ": " + description;
    }
}
