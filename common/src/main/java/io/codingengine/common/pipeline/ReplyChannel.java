package io.codingengine.common.pipeline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Carries the result of a synchronous run back to the api process that waits for it, so a
 * Piston execute gets its answer as soon as the worker has it, with no polling; and both ways the
 * messages of a live run ({@link LiveMessage}) between the api that holds the client and the
 * worker that runs the program. Replies are not durable: if the waiting process is gone, nobody
 * wants the answer.
 */
public interface ReplyChannel extends AutoCloseable {

    /** The address of this process's replies, to put in {@link WorkItem.Execute#replyTo()}. */
    String address();

    /**
     * Registers interest in a reply before the request is sent. The future completes with the
     * reply body, or exceptionally with a {@link java.util.concurrent.TimeoutException} after
     * {@code timeout}.
     */
    CompletableFuture<String> expect(String requestId, Duration timeout);

    /**
     * Hands every message for {@code requestId} to {@code onMessage}, in the order they arrived,
     * until the returned handle is closed: the messages of a live run. {@code onMessage} runs on
     * the channel's own thread and must not block.
     */
    Listening listen(String requestId, Consumer<String> onMessage);

    /** Whether this channel receives messages ({@link #address()}, {@link #expect}, {@link #listen}). */
    boolean receives();

    /** Messages being listened for; closing it stops them. */
    interface Listening extends AutoCloseable {
        @Override
        void close();
    }

    /** Sends a reply (worker side), or a message of a live run (either side). */
    void reply(String address, String requestId, String body);

    @Override
    void close();
}
