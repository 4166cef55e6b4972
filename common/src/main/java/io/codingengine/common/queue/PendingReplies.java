package io.codingengine.common.queue;

import io.codingengine.common.pipeline.ReplyChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The replies one process waits for, and the live runs it listens to, by request id: what every
 * reply channel keeps, whatever carries the replies. A reply nobody waits for (any more) is dropped.
 */
final class PendingReplies {

    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<String>> listeners = new ConcurrentHashMap<>();

    /** The reply to {@code requestId}, failing with a timeout after {@code timeout}. */
    CompletableFuture<String> expect(String requestId, Duration timeout) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(requestId, reply);
        return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((body, error) -> pending.remove(requestId));
    }

    /** Every message for {@code requestId}, until the handle is closed. */
    ReplyChannel.Listening listen(String requestId, Consumer<String> onMessage) {
        listeners.put(requestId, onMessage);
        return () -> listeners.remove(requestId, onMessage);
    }

    /** Hands {@code body} to whoever waits for or listens to {@code requestId}; {@code null} ids are ignored. */
    void arrived(String requestId, String body) {
        if (requestId == null) {
            return;
        }
        Consumer<String> listener = listeners.get(requestId);
        if (listener != null) {
            listener.accept(body);
            return;
        }
        CompletableFuture<String> waiting = pending.get(requestId);
        if (waiting != null) {
            waiting.complete(body);
        }
    }
}
