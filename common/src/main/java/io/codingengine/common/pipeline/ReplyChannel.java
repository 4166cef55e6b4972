package io.codingengine.common.pipeline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Carries the result of a synchronous run back to the api process that waits for it, so a
 * Piston execute gets its answer as soon as the worker has it, with no polling. Replies are not
 * durable: if the waiting process is gone, nobody wants the answer.
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

    /** Sends a reply (worker side). */
    void reply(String address, String requestId, String body);

    @Override
    void close();
}
