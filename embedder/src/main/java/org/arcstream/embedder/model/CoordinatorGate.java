package org.arcstream.embedder.model;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs an action once this instance coordinates (runs the enrollment task), checking again every
 * {@code interval} for up to {@code patience}: right after a start or a rebalance the task may not be
 * assigned yet. Waiting holds no thread, and must not hold up the switchboard's worker, which
 * applies switches meanwhile.
 */
final class CoordinatorGate implements AutoCloseable {

    private final BooleanSupplier coordinates;
    private final Duration patience;
    private final Duration interval;
    // a scheduled executor starts its thread with the first task, not here
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "model-coordinator-wait");
        t.setDaemon(true);
        return t;
    });

    CoordinatorGate(BooleanSupplier coordinates, Duration patience, Duration interval) {
        this.coordinates = coordinates;
        this.patience = patience;
        this.interval = interval;
    }

    /** Runs {@code action} once this instance coordinates, or {@code otherwise} when it did not within the patience. */
    void whenCoordinating(Runnable action, Runnable otherwise) {
        long deadline = System.nanoTime() + patience.toNanos();
        submit(() -> check(deadline, action, otherwise), 0);
    }

    private void check(long deadline, Runnable action, Runnable otherwise) {
        if (coordinates.getAsBoolean()) {
            action.run();
        } else if (System.nanoTime() - deadline > 0) {
            otherwise.run();
        } else {
            submit(() -> check(deadline, action, otherwise), interval.toMillis());
        }
    }

    private void submit(Runnable check, long delayMillis) {
        try {
            timer.schedule(check, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: nothing waits any more
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
