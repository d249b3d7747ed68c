package io.mandate.eventing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit for an inbox consumer whose records are processed on several threads at once
 * ({@code @Blocking(ordered = false)}): the events that arrive while a transaction is committing are
 * applied together in the next one, one commit for many events. Nobody waits for a batch to fill:
 * with one event in flight it is one transaction per event, as {@link Inbox#process} would do.
 *
 * <p>Each caller still returns only after its own event is committed (so the offset is acknowledged
 * only then) and still gets its own failure: when a batch fails, its events are retried one by one
 * through {@link Inbox#process}, so one bad event goes to the dead-letter topic alone.
 */
public final class GroupCommit {


    private record Pending(String json, CompletableFuture<Boolean> applied, Thread owner) {

        void complete(boolean result) {
            applied.complete(result);
            LockSupport.unpark(owner);
        }

        void fail(Throwable failure) {
            applied.completeExceptionally(failure);
            LockSupport.unpark(owner);
        }
    }

    private final Inbox inbox;
    private final String consumer;
    private final Consumer<List<CloudEvent>> effect;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock committer = new ReentrantLock();

    /** One effect per event, run for each fresh event of a batch in order. */
    public GroupCommit(Inbox inbox, String consumer, Consumer<CloudEvent> effect, int maxBatch) {
        this(inbox, consumer, maxBatch, events -> events.forEach(effect));
    }

    /**
     * One effect per batch: it gets the batch's fresh events (duplicates left out) in order, in the
     * batch's transaction, so it can write them with a few statements instead of a few per event.
     */
    public GroupCommit(Inbox inbox, String consumer, int maxBatch, Consumer<List<CloudEvent>> batchEffect) {
        this.inbox = inbox;
        this.consumer = consumer;
        this.effect = batchEffect;
        this.maxBatch = maxBatch;
    }

    /**
     * Applies the event unless this consumer already did, together with whatever else is waiting.
     *
     * @return true if the effect ran, false for a duplicate
     * @throws BadEventException as {@link Inbox#process}
     */
    public boolean process(String json) {
        Pending mine = new Pending(json, new CompletableFuture<>(), Thread.currentThread());
        waiting.add(mine);
        // One thread at a time commits everything waiting, ours included if it got there first; the
        // others sleep until their result is in or they are handed the lead. (Queueing on the lock
        // instead made every finished caller take the lock once just to see that it was done: a convoy
        // in which the batches shrank to a few events.)
        while (!mine.applied().isDone()) {
            if (committer.tryLock()) {
                try {
                    while (!mine.applied().isDone()) {
                        commitWaiting();
                    }
                } finally {
                    committer.unlock();
                }
                Pending next = waiting.peek();
                if (next != null) {
                    LockSupport.unpark(next.owner());
                }
            } else {
                LockSupport.park(this);
            }
        }
        try {
            return mine.applied().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying an event", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private void commitWaiting() {
        List<Pending> batch = new ArrayList<>();
        for (Pending next; batch.size() < maxBatch && (next = waiting.poll()) != null;) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Boolean> applied;
        try {
            applied = inbox.processBatch(consumer, batch.stream().map(Pending::json).toList(), effect);
        } catch (RuntimeException batchFailed) {
            batch.forEach(this::processAlone);
            return;
        } catch (Error fatal) {
            // Nothing sensible to retry (e.g. out of memory); the callers must not wait forever.
            batch.forEach(pending -> pending.fail(fatal));
            throw fatal;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).complete(applied.get(i));
        }
    }

    private void processAlone(Pending pending) {
        try {
            pending.complete(inbox.process(consumer, pending.json(), event -> effect.accept(List.of(event))));
        } catch (RuntimeException e) {
            pending.fail(e);
        }
    }
}
