package io.codingengine.common.execution;

import java.util.List;

/**
 * Compiles and runs untrusted code in a sandbox. Implementations: the in-process executor of the
 * {@code executor} module, and remote session pools that reach the same executor over HTTP.
 * Thread-safe: callers run many requests at once, up to {@link #capacity()}.
 */
public interface Executor {

    /** The languages and versions this executor can run. */
    List<RuntimeInfo> runtimes();

    /**
     * Compiles once and runs every input of {@code request}.
     *
     * @throws InvalidRequestException if the request names an unknown runtime, breaks a limit or
     *                                 has unusable files; nothing ran
     */
    ExecutionResult execute(ExecutionRequest request);

    /**
     * Whether this executor can run code now: {@code null} when a trivial program ran, else why
     * not. A worker whose run the sandbox failed under takes no work until this passes. The
     * default has nothing of its own to check (a remote pool's sessions are not this process's).
     */
    default String probe() {
        return null;
    }

    /** How many requests may run at once without queueing inside the executor. */
    int capacity();

    /**
     * As {@link #execute}, for work a person waits for (a Run, a Piston execute): besides
     * {@link #capacity()} it may use capacity kept for such work ({@link #interactiveCapacity()}),
     * so it never waits behind judging.
     */
    default ExecutionResult executeInteractive(ExecutionRequest request) {
        return execute(request);
    }

    /** Requests that only {@link #executeInteractive} may run, beyond {@link #capacity()}; 0 by default. */
    default int interactiveCapacity() {
        return 0;
    }

    /** This executor as interactive work uses it: every request through {@link #executeInteractive}. */
    default Executor interactive() {
        Executor self = this;
        return new Executor() {
            @Override
            public List<RuntimeInfo> runtimes() {
                return self.runtimes();
            }

            @Override
            public ExecutionResult execute(ExecutionRequest request) {
                return self.executeInteractive(request);
            }

            @Override
            public int capacity() {
                return Math.max(1, self.interactiveCapacity());
            }
        };
    }
}
