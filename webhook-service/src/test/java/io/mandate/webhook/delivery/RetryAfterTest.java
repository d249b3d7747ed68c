package io.mandate.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void secondsAndHttpDatesAreRead() {
        assertEquals(Duration.ofSeconds(120), Dispatcher.retryAfter("120", NOW));
        assertEquals(Duration.ofSeconds(90), Dispatcher.retryAfter("Fri, 04 Dec 2026 12:01:30 GMT", NOW));
        assertEquals(Duration.ZERO, Dispatcher.retryAfter("Fri, 04 Dec 2026 11:00:00 GMT", NOW), "a date gone by");
    }

    @Test
    void aHugeRetryAfterWaitsADayAtMostAndNeverOverflows() {
        assertEquals(Duration.ofHours(24), Dispatcher.retryAfter("99999999999999999", NOW));
        assertEquals(Duration.ofHours(24), Dispatcher.retryAfter("9999999999999999999999999999", NOW));
        assertEquals(Duration.ofHours(24), Dispatcher.retryAfter("Fri, 31 Dec 9999 23:59:59 GMT", NOW));
        // The retry time the queue stores is then an ordinary instant.
        assertEquals(NOW.plus(Duration.ofHours(24)),
                NOW.plus(Outcomes.withJitter(Duration.ofSeconds(5), Dispatcher.retryAfter("99999999999999999", NOW))));
    }

    @Test
    void whatCannotBeReadIsIgnored() {
        assertNull(Dispatcher.retryAfter(null, NOW));
        assertNull(Dispatcher.retryAfter("", NOW));
        assertNull(Dispatcher.retryAfter("-5", NOW));
        assertNull(Dispatcher.retryAfter("soon", NOW));
    }
}
