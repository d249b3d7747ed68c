package io.mandate.token.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Lets a token request for a credential the projection has not seen yet wait (bounded) for the
 * listener to commit it, instead of failing an agent that asks for a token right after registration.
 */
@ApplicationScoped
public class ProjectionSignal {

    private final Object lock = new Object();
    private long generation;

    /** Called by the listeners after each projection commit. */
    public void changed() {
        synchronized (lock) {
            generation++;
            lock.notifyAll();
        }
    }

    /** Runs {@code lookup} until it finds something or {@code max} has passed. */
    public <T> Optional<T> awaitPresent(Supplier<Optional<T>> lookup, Duration max) {
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
