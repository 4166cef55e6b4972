package io.codingengine.api.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codingengine.api.TestBroker;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.queue.Lane;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link QueueDepth} against a real broker: the estimate errs high, a refusal rests on a fresh read. */
class QueueDepthTest {

    private EmbeddedArtemisBroker broker;
    private ArtemisSubmissionQueue queue;
    private final AtomicLong clock = new AtomicLong();

    private QueueDepth depth(Path dir) {
        broker = TestBroker.start(dir);
        queue = ArtemisSubmissionQueue.connect(broker.url());
        return new QueueDepth(queue, clock::get);
    }

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void ownAdmissionsCountUntilTheNextReadAndARefusalRereads(@TempDir Path dir) {
        QueueDepth depth = depth(dir);
        assertEquals(-1, depth.admitOrDepth(2, 1), "empty: admitted on a read of 0");
        queue.send(Lane.CONTEST, "a", "{}");
        assertEquals(-1, depth.admitOrDepth(2, 1), "0 read + 1 admitted");
        queue.send(Lane.INTERACTIVE, "b", "{}");
        assertEquals(-1, depth.admitOrDepth(2, 1), "0 read + 2 admitted: not over the bound yet");
        queue.send(Lane.REGRADE, "c", "{}");
        // 0 + 3 admitted is over the bound: read again before refusing, and the broker holds 3.
        assertEquals(3, depth.admitOrDepth(2, 1));
    }

    @Test
    void anEstimateOverTheBoundThatTheBrokerDeniesAdmits(@TempDir Path dir) {
        QueueDepth depth = depth(dir);
        assertEquals(-1, depth.admitOrDepth(1, 5), "a read of 0, then 5 counted as admitted");
        assertEquals(-1, depth.admitOrDepth(1, 1), "5 over the bound: read again, the broker has none");
    }

    @Test
    void otherProcessesWorkIsSeenOnceTheReadIsOld(@TempDir Path dir) {
        QueueDepth depth = depth(dir);
        assertEquals(-1, depth.admitOrDepth(1, 0));
        queue.send(Lane.CONTEST, "x", "{}");
        queue.send(Lane.CONTEST, "y", "{}"); // sent by "another process": not counted here
        assertEquals(-1, depth.admitOrDepth(1, 0), "within the freshness the read of 0 stands");
        clock.addAndGet(QueueDepth.FRESHNESS.toNanos());
        assertEquals(2, depth.admitOrDepth(1, 0));
    }
}
