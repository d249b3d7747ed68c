package io.mandate.eventing.outbox;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Something to do once the current transaction has committed (nothing if it rolls back). */
public record AfterCommit(Runnable action) implements Synchronization {

    /** Runs {@code action} after the current transaction commits; must be called inside one. */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
        transactions.registerInterposedSynchronization(new AfterCommit(action));
    }

    @Override
    public void beforeCompletion() {
    }

    @Override
    public void afterCompletion(int status) {
        if (status == Status.STATUS_COMMITTED) {
            action.run();
        }
    }
}
