package io.codingengine.common.execution;

import java.time.Duration;

/**
 * The client's side of a program run live ({@link Executor#converse}): it is told what happens as
 * it happens and gives the program its input while it runs (Piston's WebSocket execution). The
 * executor calls the telling methods from one thread, in order; {@link #next} from another.
 */
public interface Conversation {

    /** The stages of a live run, in the order they happen. */
    enum Stage {
        COMPILE,
        RUN
    }

    /** The program's output streams. */
    enum Stream {
        STDOUT,
        STDERR
    }

    /** What the client sends the running program. */
    sealed interface Input {
        /** Bytes for its standard input. */
        record Stdin(byte[] bytes) implements Input {}

        /** The end of its standard input. */
        record EndOfInput() implements Input {}

        /** A signal (its Linux number) for every process of the program. */
        record Signal(int number) implements Input {}
    }

    /** A slot is the program's and its files are in place: it runs {@code language} {@code version}. */
    void started(String language, String version);

    /** A stage begins. A language that only checks its sources shows a compile stage only when the check fails. */
    void stage(Stage stage);

    /**
     * Output of the current stage, decoded as UTF-8 without splitting a character: the run's as the
     * program writes it (up to the output limit), the compile's once the compile is over.
     */
    void output(Stream stream, String text);

    /** The stage ended so; after a failed compile nothing runs. */
    void exit(Stage stage, StageResult result);

    /**
     * The client's next input for the running program, waiting at most {@code wait}; {@code null}
     * when none came in that time.
     */
    Input next(Duration wait) throws InterruptedException;

    /**
     * How long the run may go with neither input from the client nor output from the program
     * before it is stopped ({@link StageStatus#TO}, "Time limit exceeded (idle)").
     */
    Duration idleLimit();
}
