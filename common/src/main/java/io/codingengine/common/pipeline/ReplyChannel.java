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

    /**
     * An address of a live run's own, for the messages for {@code requestId} (its client's
     * controls, on the worker), handed to {@code onMessage} in order until the inbox is closed.
     * Where the transport can, the address is the run's alone, bounded for the run (Artemis: a
     * temporary queue of its own, with a consumer of its own): a run whose backlog is full has
     * its own sends refused, and no other run of this process loses a message to it. Otherwise
     * it is this channel's {@link #address()}, listened for {@code requestId}.
     */
    default Inbox inbox(String requestId, Consumer<String> onMessage) {
        return Inbox.of(address(), listen(requestId, onMessage)::close);
    }

    /** A live run's inbox ({@link #inbox}): where its messages go, until closed. */
    interface Inbox extends Listening {
        String address();

        /** An inbox at {@code address} that {@code close} closes. */
        static Inbox of(String address, Runnable close) {
            return new Inbox() {
                @Override
                public String address() {
                    return address;
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }

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
