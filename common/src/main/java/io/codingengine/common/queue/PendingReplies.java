package io.codingengine.common.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The replies one process waits for, by request id: what every reply channel keeps, whatever
 * carries the replies. A reply nobody waits for (any more) is dropped.
 */
final class PendingReplies {

    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

    /** The reply to {@code requestId}, failing with a timeout after {@code timeout}. */
    CompletableFuture<String> expect(String requestId, Duration timeout) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(requestId, reply);
        return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((body, error) -> pending.remove(requestId));
    }

    /** Hands {@code body} to whoever waits for {@code requestId}; {@code null} ids are ignored. */
    void arrived(String requestId, String body) {
        CompletableFuture<String> waiting = requestId == null ? null : pending.get(requestId);
        if (waiting != null) {
            waiting.complete(body);
        }
    }
}
