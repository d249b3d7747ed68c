package io.mandate.client;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One kept token and how to get the next: the first thread to find it stale renews it while the others wait for
 * that renewal instead of asking the server themselves. With a refresh token, renewal refreshes; when the refresh
 * is refused (revoked, reused), it starts over.
 */
final class TokenSlot {

    private final Supplier<AccessToken> fetch;
    private final Function<String, AccessToken> refresh;
    private final Clock clock;
    private final Duration renewBefore;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile AccessToken current;

    TokenSlot(Supplier<AccessToken> fetch, Function<String, AccessToken> refresh, Clock clock, Duration renewBefore) {
        this.fetch = fetch;
        this.refresh = refresh;
        this.clock = clock;
        this.renewBefore = renewBefore;
    }

    AccessToken get() {
        AccessToken token = current;
        if (fresh(token)) {
            return token;
        }
        lock.lock();
        try {
            token = current;
            if (fresh(token)) {
                return token;
            }
            current = renew(token);
            return current;
        } finally {
            lock.unlock();
        }
    }

    boolean holds(AccessToken token) {
        AccessToken held = current;
        return held != null && held.value().equals(token.value());
    }

    /** Drops {@code token} if it is still the kept one: an API refused it. */
    void forget(AccessToken token) {
        lock.lock();
        try {
            if (holds(token)) {
                // Expired as of its issue: the next get() renews it, by its refresh token if it has one.
                current = new AccessToken(token.value(), token.tokenType(), token.issuedAt(), token.issuedAt(),
                        token.scopes(), token.refreshToken(), token.issuedTokenType());
            }
        } finally {
            lock.unlock();
        }
    }

    private AccessToken renew(AccessToken stale) {
        if (stale != null && stale.refreshToken() != null) {
            try {
                return refresh.apply(stale.refreshToken());
            } catch (OAuthErrorException e) {
                if (!"invalid_grant".equals(e.error())) {
                    throw e;
                }
            }
        }
        return fetch.get();
    }

    private boolean fresh(AccessToken token) {
        if (token == null) {
            return false;
        }
        Duration margin = token.lifetime().dividedBy(5);
        return token.usableAt(clock.instant(), margin.compareTo(renewBefore) < 0 ? margin : renewBefore);
    }
}
