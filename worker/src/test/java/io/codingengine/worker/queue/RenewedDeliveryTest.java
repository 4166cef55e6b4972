package io.codingengine.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.queue.Lane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker keeps the lock of every message it holds until the message is settled, waits included:
 * with settlements made off the slots, a slot holding its next message waited for its previous
 * settlement (a store that did not answer) with nothing renewing the next one's lock, which ran
 * out; the message went back to its lane while the slot ran it, and ran again.
 */
class RenewedDeliveryTest {

    private static final Duration LOCK = Duration.ofSeconds(1);
    private static final Duration RENEWAL = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private EmbeddedArtemisBroker broker;
    private ArtemisSubmissionQueue queue;
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() {
        broker = EmbeddedArtemisBroker.start(dir, 0);
        queue = ArtemisSubmissionQueue.connect(
                broker.url(),
                new ArtemisSubmissionQueue.Settings(5, LOCK, Duration.ofMillis(50), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        renewer.shutdownNow();
        queue.close();
        broker.stop();
    }

    @Test
    void aSlotsNextMessageKeepsItsLockWhileTheSlotWaitsForItsLastSettlement() throws Exception {
        queue.send(Lane.CONTEST, "first", "{}");
        queue.send(Lane.CONTEST, "next", "{}");
        Settling settling = new Settling(true);
        CountDownLatch storeAnswers = new CountDownLatch(1);

        RenewedDelivery first = RenewedDelivery.renewing(receive(), renewer, RENEWAL);
        settling.settle(first, () -> {
            await(storeAnswers);
            first.complete();
        });
        RenewedDelivery next = RenewedDelivery.renewing(receive(), renewer, RENEWAL);
        Thread slot = Thread.ofPlatform().start(() -> settling.settle(next, next::complete));
        Thread.sleep(LOCK.multipliedBy(3)); // the store does not answer for three lock durations
        storeAnswers.countDown();
        slot.join();
        settling.drain(Duration.ofSeconds(10));

        assertEquals(
                Optional.empty(),
                queue.receive(Duration.ofMillis(1500)).map(Delivery::messageId),
                "a message came back: its lock ran out while the worker held it");
    }

    @Test
    void renewingStopsOnceTheDeliveryIsSettledOrItsLockIsLost() throws Exception {
        RenewCounting settled = new RenewCounting(false);
        RenewedDelivery a = RenewedDelivery.renewing(settled, renewer, Duration.ofMillis(20));
        Thread.sleep(200);
        a.complete();
        int atSettlement = settled.renewals;
        Thread.sleep(200);
        assertTrue(atSettlement >= 3, "renewed while held: " + atSettlement);
        assertEquals(atSettlement, settled.renewals, "no renewal after the settlement");
        assertTrue(a.accountedFor());

        RenewCounting lost = new RenewCounting(true);
        RenewedDelivery b = RenewedDelivery.renewing(lost, renewer, Duration.ofMillis(20));
        Thread.sleep(200);
        assertEquals(1, lost.renewals, "one failed renewal, then none");
        b.release();
    }

    private Delivery receive() {
        return queue.receive(List.of(Lane.CONTEST), Duration.ofSeconds(10)).orElseThrow();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A delivery that counts its renewals, and fails them when its lock is lost. */
    private static final class RenewCounting implements Delivery {
        private final RecordedDelivery settled = new RecordedDelivery("m", "{}", 1);
        private final boolean lockLost;
        volatile int renewals;

        RenewCounting(boolean lockLost) {
            this.lockLost = lockLost;
        }

        @Override
        public String messageId() {
            return settled.messageId();
        }

        @Override
        public String body() {
            return settled.body();
        }

        @Override
        public Lane lane() {
            return settled.lane();
        }

        @Override
        public int deliveryCount() {
            return settled.deliveryCount();
        }

        @Override
        public void complete() {
            settled.complete();
        }

        @Override
        public void abandon(Duration delay) {
            settled.abandon(delay);
        }

        @Override
        public void deadLetter(String reason) {
            settled.deadLetter(reason);
        }

        @Override
        public java.time.Instant renewLock() {
            renewals++;
            if (lockLost) {
                throw new io.codingengine.common.queue.MessageLockLostException("lost", null);
            }
            return java.time.Instant.now();
        }
    }
}
