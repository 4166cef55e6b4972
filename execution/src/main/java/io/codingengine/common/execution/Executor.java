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

    /** How many requests may run at once without queueing inside the executor. */
    int capacity();
}
