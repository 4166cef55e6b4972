package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts processes meant to live as long as the engine from one platform thread that lives as
 * long as the JVM. The kernel sends the parent-death signal ({@code PR_SET_PDEATHSIG}, set by
 * {@code ce-sandbox service} and bwrap's {@code --die-with-parent}) when the <em>thread</em> that
 * forked the child exits, not the process: started from a request's thread (a judging's parallel
 * chunk, a carrier of virtual threads that the pool retires), a warm compiler died with that
 * thread and left an empty cgroup behind until its next compile.
 */
final class LongLivedSpawner {

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("sandbox-long-lived-spawner").factory());

    private LongLivedSpawner() {}

    static Process start(ProcessBuilder builder) throws IOException {
        try {
            return THREAD.submit(builder::start).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("cannot start " + builder.command().getFirst(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted starting " + builder.command().getFirst(), e);
        }
    }
}
