package io.codingengine.api.limits;

import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The depth of all lanes together, as backpressure needs it, without asking the broker on every
 * request: each lane's depth is a broker round trip (three per request, a fifth of an execute's
 * CPU in the api). The last depth read is kept for {@link #FRESHNESS}, and every unit of work this
 * process admitted since is added to it, so this process's own admissions are never missed and
 * the estimate only errs high (the workers take work off meanwhile). Only an estimate over the
 * bound is read again before it refuses, so a 503 always rests on the broker's own count. What
 * other api processes enqueue within {@link #FRESHNESS} is seen at the next read: the bound can be
 * overshot by that much.
 */
final class QueueDepth {

    /** How long a depth read stands in for the broker's. */
    static final Duration FRESHNESS = Duration.ofMillis(100);

    private final SubmissionQueue queue;
    private final LongSupplier nanoTime;
    private long readAt;
    private long read = -1;
    private long admittedSince;

    QueueDepth(SubmissionQueue queue) {
        this(queue, System::nanoTime);
    }

    QueueDepth(SubmissionQueue queue, LongSupplier nanoTime) {
        this.queue = queue;
        this.nanoTime = nanoTime;
    }

    /**
     * The depth if it is above {@code bound} (read from the broker then), otherwise -1 after
     * counting {@code admitting} units of work as admitted.
     */
    long admitOrDepth(long bound, int admitting) {
        synchronized (this) {
            if (read >= 0 && nanoTime.getAsLong() - readAt < FRESHNESS.toNanos() && read + admittedSince <= bound) {
                admittedSince += admitting;
                return -1;
            }
        }
        // Outside the lock: the round trips of concurrent requests may overlap, and the latest read wins.
        long now = nanoTime.getAsLong();
        long depth = 0;
        for (Lane lane : Lane.values()) {
            depth += queue.depth(lane);
        }
        synchronized (this) {
            if (now - readAt >= 0 || read < 0) {
                readAt = now;
                read = depth;
                admittedSince = 0;
            }
            if (depth > bound) {
                return depth;
            }
            admittedSince += admitting;
            return -1;
        }
    }
}
