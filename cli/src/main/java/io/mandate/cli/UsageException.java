package io.mandate.cli;

/** A command used wrongly in a way picocli cannot see (a secret from two places, no profile, a missing file): exit 2. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
