package io.codingengine.common.queue;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * How many receives of one client wait on each lane at this moment. A message sent to a lane a
 * receive waits on is granted to it at once, so a receive that looks at several lanes need not
 * look often at one that another receive of the same client waits on.
 */
final class LaneWaits {

    private final AtomicIntegerArray waiting = new AtomicIntegerArray(Lane.values().length);

    void begin(Lane lane) {
        waiting.incrementAndGet(lane.ordinal());
    }

    void end(Lane lane) {
        waiting.decrementAndGet(lane.ordinal());
    }

    boolean anyOn(Lane lane) {
        return waiting.get(lane.ordinal()) > 0;
    }
}
