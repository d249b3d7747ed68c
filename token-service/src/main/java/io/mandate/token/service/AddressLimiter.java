package io.mandate.token.service;

import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often one client address may register something that registers itself, for each kind (clients by
 * RFC 7591, agents by their OpenPGP key): {@code mandate.token.registration.per-minute} in any minute,
 * per replica; more is 429 with {@code Retry-After}. Refused attempts count too.
 */
@ApplicationScoped
public class AddressLimiter {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 10_000;

    private final int perMinute;
    private final Map<String, List<Instant>> recent = new ConcurrentHashMap<>();

    AddressLimiter(TokenConfig config) {
        this.perMinute = config.registration().perMinute();
    }

    /** One registration of {@code kind} from {@code address}, or 429. */
    public void acquire(String kind, String address) {
        Instant now = Instant.now();
        if (recent.size() > MAX_ADDRESSES) {
            recent.clear();
        }
        List<Instant> times = recent.compute(kind + " " + address, (key, earlier) -> {
            List<Instant> kept = new ArrayList<>();
            if (earlier != null) {
                earlier.stream().filter(t -> t.isAfter(now.minus(WINDOW))).forEach(kept::add);
            }
            kept.add(now);
            return kept;
        });
        if (times.size() > perMinute) {
            long wait = Math.max(1, Duration.between(now, times.get(0).plus(WINDOW)).toSeconds());
            throw new OAuthException(429, "too_many_requests", "too many registrations from this address; retry later",
                    Map.of("Retry-After", Long.toString(wait)));
        }
    }
}
