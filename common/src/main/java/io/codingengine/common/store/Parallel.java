package io.codingengine.common.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/** Runs the many small storage calls of one operation side by side, on virtual threads. */
public final class Parallel {

    /** Requests in flight at once per call: enough to hide latency, few enough for any account. */
    public static final int MAX_IN_FLIGHT = 16;

    private Parallel() {}

    /**
     * Runs every task, at most {@link #MAX_IN_FLIGHT} at once, and returns their results in the
     * order of {@code tasks}. A task's unchecked exception is rethrown as it was thrown.
     */
    public static <T> List<T> all(List<? extends Callable<T>> tasks) {
        Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return task.call();
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<T> results = new ArrayList<>(futures.size());
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
