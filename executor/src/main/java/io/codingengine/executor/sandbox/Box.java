package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One slot's box, open for one submission: write its files, then run its compile and its tests.
 * Closing it unmounts everything the runs left and frees the slot. Not thread-safe: one run at a
 * time per box.
 */
public final class Box implements AutoCloseable {

    private final Sandbox sandbox;
    private final int slot;
    private final BoxMounts mounts;
    private final List<Thread> cleanups = new ArrayList<>();
    private boolean closed;

    Box(Sandbox sandbox, int slot, BoxMounts mounts) {
        this.sandbox = sandbox;
        this.slot = slot;
        this.mounts = mounts;
    }

    /**
     * Adds a file to the box's program: every later run starts with it in a work directory of its
     * own (see {@link BoxMounts}).
     *
     * @param relative path inside the work directory, already validated by the caller
     */
    public void writeFile(String relative, byte[] content, boolean executable) {
        mounts.writeFile(relative, content, executable);
    }

    /** Runs a program; each run is a fresh process tree with a fresh /tmp and a fresh work directory. */
    public RunOutcome run(RunSpec spec) {
        return sandbox.run(this, spec);
    }

    /**
     * The host path of the work directory ({@code /box} inside), where programs run under process
     * and UID isolation (no mount namespace shows it as {@code /box} there).
     */
    public Path work() {
        return mounts.work();
    }

    /**
     * The files the last run wrote into the work directory (relative path to content, regular
     * files only, at most {@code maxBytes} in all), read without following links: a compile's
     * outputs, read before the next run replaces the work directory. Under UID isolation only the
     * files the slot's uid owns.
     */
    public Map<String, byte[]> outputs(long maxBytes) throws IOException {
        return mounts.read(maxBytes);
    }

    /** The slot this box occupies (0 .. slots - 1), which names where a run happened. */
    public int slot() {
        return slot;
    }

    /** A run's cleanup still going on; {@link #close()} waits for it. */
    void afterRun(Thread cleanup) {
        cleanups.add(cleanup);
    }

    BoxMounts mounts() {
        return mounts;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (Thread cleanup : cleanups) {
                cleanup.join();
            }
            mounts.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cleaning up " + this, e);
        } finally {
            sandbox.release(slot);
        }
    }
}
