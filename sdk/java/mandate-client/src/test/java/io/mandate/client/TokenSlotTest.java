package io.mandate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenSlotTest {

    private static AccessToken token(String value, Instant issued, Duration life, String refresh) {
        return new AccessToken(value, "Bearer", issued, issued.plus(life), List.of(), refresh, null);
    }

    @Test
    void aTokenIsRenewedAFifthOfItsLifeBeforeExpiryAtMostTheMarginGiven() {
        Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
        AtomicInteger fetches = new AtomicInteger();
        Clock[] clock = {Clock.fixed(t0, ZoneOffset.UTC)};
        Clock moving = new Clock() {
            public Instant instant() {
                return clock[0].instant();
            }

            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        TokenSlot slot = new TokenSlot(() -> token("t" + fetches.incrementAndGet(), moving.instant(),
                Duration.ofSeconds(100), null), refresh -> null, moving, Duration.ofSeconds(60));
        AccessToken first = slot.get();
        clock[0] = Clock.fixed(t0.plusSeconds(79), ZoneOffset.UTC);
        assertSame(first, slot.get(), "21 s left of 100: kept");
        clock[0] = Clock.fixed(t0.plusSeconds(81), ZoneOffset.UTC);
        assertEquals("t2", slot.get().value(), "19 s left, under a fifth: renewed");
    }

    @Test
    void aRefusedRefreshStartsOver() {
        AtomicInteger fetches = new AtomicInteger();
        Instant past = Instant.now().minusSeconds(3600);
        TokenSlot slot = new TokenSlot(() -> fetches.incrementAndGet() == 1
                ? token("old", past, Duration.ofSeconds(60), "rt-1") : token("new", Instant.now(), Duration.ofMinutes(5), null),
                refresh -> {
                    throw new OAuthErrorException(400, "invalid_grant", "refresh token reused", null);
                }, Clock.systemUTC(), Duration.ofSeconds(60));
        assertEquals("old", slot.get().value());
        assertEquals("new", slot.get().value());
        assertEquals(2, fetches.get());
    }
}
