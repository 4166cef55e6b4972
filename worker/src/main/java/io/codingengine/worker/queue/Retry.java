package io.codingengine.worker.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a call to the store while it is unreachable (Azurite restarting, a network blip), with
 * exponential backoff up to a deadline, instead of giving the message back to the queue: a
 * failure of ours must not burn the submission's delivery count.
 */
final class Retry {

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
    /** How long the handling of a message waits for a store that is down before it fails. */
    static final Duration STORE_PATIENCE = Duration.ofMinutes(2);

    private Retry() {}

    static <T> T call(String what, Duration patience, Supplier<T> call) {
        Instant deadline = Instant.now().plus(patience);
        long backoffMs = 100;
        while (true) {
            try {
                return call.get();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw e; // the call is wrong, not the store: retrying will not help
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                LOG.warn("{} failed, retrying in {} ms: {}", what, backoffMs, e.toString());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMs = Math.min(5_000, backoffMs * 2);
            }
        }
    }
}
