package io.mandate.eventing.loop;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A daemon thread that runs a step as soon as it is woken (typically after a commit that created
 * work) and otherwise every poll interval; a failing step is retried with capped backoff. Serves the
 * outbox relay and the webhook dispatcher.
 */
public final class WakeableLoop {

    /** One round of work. */
    @FunctionalInterface
    public interface Step {
        /** @return true if more work may be waiting, so the loop runs again at once */
        boolean run() throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(WakeableLoop.class);

    private final String name;
    private final Duration pollInterval;
    private final Step step;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;

    public WakeableLoop(String name, Duration pollInterval, Step step) {
        this.name = name;
        this.pollInterval = pollInterval;
        this.step = step;
    }

    /** A loop that runs {@code task} every {@code interval} (and when woken), for scheduled housekeeping. */
    public static WakeableLoop every(String name, Duration interval, Runnable task) {
        return new WakeableLoop(name, interval, () -> {
            task.run();
            return false;
        });
    }

    public synchronized void start() {
        running = true;
        worker = new Thread(this::run, name);
        worker.setDaemon(true);
        worker.start();
    }

    public synchronized void stop() throws InterruptedException {
        running = false;
        if (worker != null) {
            worker.interrupt();
            worker.join(5_000);
        }
    }

    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private void run() {
        long backoffMillis = 0;
        while (running) {
            try {
                if (backoffMillis > 0) {
                    TimeUnit.MILLISECONDS.sleep(backoffMillis);
                }
                boolean more = step.run();
                backoffMillis = 0;
                if (!more) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoffMillis = Math.min(Math.max(backoffMillis * 2, 200), 10_000);
                LOG.warnf("%s failed, retrying in %d ms: %s", name, backoffMillis, e.getMessage());
            }
        }
    }
}
