package io.mandate.client;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a request again: after no answer, a 429 or a 5xx, up to {@code maxAttempts} in all. The wait is
 * exponential with full jitter ({@code random(0, min(maxDelay, baseDelay * 2^n))}); a {@code Retry-After} from the
 * server is honoured as a minimum, and a request it asks to delay longer than {@code maxDelay} is not retried.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (baseDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /** Four attempts, 200 ms doubling, at most 20 s between two. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(20));
    }

    /** Every request once. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** True for what may go better next time: no answer (0), 408, 425, 429 and every 5xx except 501. */
    public static boolean retryable(int status) {
        return status == 0 || status == 408 || status == 425 || status == 429 || (status >= 500 && status != 501);
    }

    /**
     * The wait before attempt {@code attempt + 1} (attempts count from 1), or empty when there is none: attempts
     * used up, or the server asked for longer than {@code maxDelay}.
     */
    public Optional<Duration> delayAfter(int attempt, Duration retryAfter) {
        if (attempt >= maxAttempts || (retryAfter != null && retryAfter.compareTo(maxDelay) > 0)) {
            return Optional.empty();
        }
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        long jittered = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
        long floor = retryAfter == null ? 0 : retryAfter.toMillis();
        return Optional.of(Duration.ofMillis(Math.max(floor, jittered)));
    }

    /** A {@code Retry-After} value (delay-seconds or an HTTP-date, RFC 9110 §10.2.3), or null if absent or unreadable. */
    public static Duration parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
