package io.mandate.token.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Lets a token request for a credential the projection has not seen yet wait (bounded) for the
 * listener to commit it, instead of failing an agent that asks for a token right after registration.
 * Anyone can name an unknown credential, so waiting is rationed: at most {@value #MAX_WAITERS} requests
 * wait at once (the others are answered at once), and a key that was waited for in vain is not waited
 * for again for {@link #REMEMBER_MISS}. A flood of made-up key ids thus holds a handful of worker
 * threads, never the pool that refresh, exchange, introspection and login share.
 */
@ApplicationScoped
public class ProjectionSignal {

    static final int MAX_WAITERS = 8;
    static final Duration REMEMBER_MISS = Duration.ofSeconds(30);
    private static final int MAX_REMEMBERED = 10_000;

    private final Object lock = new Object();
    private final Semaphore waiters = new Semaphore(MAX_WAITERS);
    private final Map<String, Long> misses = new ConcurrentHashMap<>();
    private long generation;

    /** Called by the listeners after each projection commit. */
    public void changed() {
        synchronized (lock) {
            generation++;
            lock.notifyAll();
        }
    }

    /**
     * Runs {@code lookup} until it finds something or {@code max} has passed, if a wait is to be had for
     * {@code key} now; otherwise once.
     */
    public <T> Optional<T> awaitPresent(String key, Supplier<Optional<T>> lookup, Duration max) {
        Optional<T> found = lookup.get();
        Long missedAt = misses.get(key);
        if (found.isPresent() || (missedAt != null && System.nanoTime() - missedAt < REMEMBER_MISS.toNanos())
                || !waiters.tryAcquire()) {
            return found;
        }
        try {
            found = awaitPresent(lookup, max);
        } finally {
            waiters.release();
        }
        if (found.isEmpty()) {
            if (misses.size() >= MAX_REMEMBERED) {
                misses.clear();
            }
            misses.put(key, System.nanoTime());
        }
        return found;
    }

    private <T> Optional<T> awaitPresent(Supplier<Optional<T>> lookup, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long seen;
            synchronized (lock) {
                seen = generation;
            }
            Optional<T> found = lookup.get();
            long remaining = deadline - System.nanoTime();
            if (found.isPresent() || remaining <= 0) {
                return found;
            }
            synchronized (lock) {
                if (generation == seen) {
                    try {
                        lock.wait(Math.max(1, remaining / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                }
            }
        }
    }
}
