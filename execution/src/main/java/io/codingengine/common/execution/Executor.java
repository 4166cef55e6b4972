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

    /**
     * Judges a submission together with an output validator: interactive and multi-pass problems
     * (see {@link InteractionRequest}). Each pass of an interactive test holds two sandboxes at
     * once (the submission's and the validator's), but counts as one of {@link #capacity()}.
     *
     * @throws InvalidRequestException if the request names an unknown runtime, breaks a limit or
     *                                 has unusable files, or if this executor cannot run
     *                                 interactions; nothing ran
     */
    default InteractionResult interact(InteractionRequest request) {
        throw new InvalidRequestException("this executor cannot run interactive or multi-pass problems");
    }

    /**
     * A live run: compiles {@code request} and runs its one input live, a client (a person, through
     * Piston's WebSocket execution) talking to the program: what happens goes to
     * {@code conversation} as it happens, and the program reads the client's input as it comes.
     * It runs as {@link #executeInteractive} would (the capacity kept for work a person waits for).
     * Not an {@link #interact interaction}, where the other side is a problem's validator.
     *
     * @throws InvalidRequestException as {@link #execute}; nothing ran
     * @throws UnsupportedOperationException when this executor cannot run a program live
     */
    default ExecutionResult converse(ExecutionRequest request, Conversation conversation) {
        throw new UnsupportedOperationException("this engine cannot run programs live");
    }

    /** How many requests may run at once without queueing inside the executor. */
    int capacity();

    /**
     * As {@link #execute}, for the interactive lane's work, which a person waits for (a Run, a
     * Piston execute): besides {@link #capacity()} it may use capacity kept for such work
     * ({@link #interactiveCapacity()}), so it never waits behind judging. "Interactive" here is the
     * lane, not an interactive problem (those are {@link #interact}ions).
     */
    default ExecutionResult executeInteractive(ExecutionRequest request) {
        return execute(request);
    }

    /** Requests that only {@link #executeInteractive} may run, beyond {@link #capacity()}; 0 by default. */
    default int interactiveCapacity() {
        return 0;
    }

    /**
     * This executor as the interactive lane's work uses it: every execution through
     * {@link #executeInteractive}; interactions (an interactive or multi-pass problem judged on
     * that lane) through {@link #interact}, unless the executor has kept capacity for them too
     * (it overrides this then); live runs through {@link #converse}, which uses the kept capacity
     * anyway.
     */
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
            public InteractionResult interact(InteractionRequest request) {
                return self.interact(request);
            }

            @Override
            public ExecutionResult converse(ExecutionRequest request, Conversation conversation) {
                return self.converse(request, conversation);
            }

            @Override
            public int capacity() {
                return Math.max(1, self.interactiveCapacity());
            }
        };
    }
}
