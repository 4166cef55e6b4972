package io.codingengine.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Settling a delivery off its slot's thread: the slot goes on while its last delivery's writes
 * are made, but never has more than one of them in flight, a failed settlement gives the message
 * back, and a stop waits for what is left.
 */
@Tag("fast")
class SettlingTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void aSlotGoesOnWhileItsLastDeliveryIsSettledButWaitsForItBeforeHandingOverTheNext() throws Exception {
        Settling settling = new Settling(true);
        RecordedDelivery first = new RecordedDelivery("m1", "", 1);
        RecordedDelivery second = new RecordedDelivery("m2", "", 1);
        List<String> writes = new CopyOnWriteArrayList<>();
        CountDownLatch storeAnswers = new CountDownLatch(1);
        CountDownLatch firstHandedOver = new CountDownLatch(1);
        CompletableFuture<Void> secondHandedOver = new CompletableFuture<>();

        Thread slot = Thread.ofPlatform().start(() -> {
            settling.settle(first, () -> {
                await(storeAnswers);
                writes.add("verdict of m1");
                first.complete();
            });
            firstHandedOver.countDown();
            settling.settle(second, () -> {
                writes.add("verdict of m2");
                second.complete();
            });
            secondHandedOver.complete(null);
        });

        assertTrue(firstHandedOver.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the slot went on");
        assertEquals(List.of(), first.settled(), "not completed before its writes");
        Thread.sleep(300);
        assertFalse(secondHandedOver.isDone(), "a second settlement waited for the slot's first");
        storeAnswers.countDown();
        secondHandedOver.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        settling.drain(PATIENCE);
        slot.join();
        assertEquals(List.of("verdict of m1", "verdict of m2"), writes);
        assertEquals(List.of("complete"), first.settled());
        assertEquals(List.of("complete"), second.settled());
    }

    @Test
    void oneSlotsSlowSettlementDoesNotHoldAnotherSlot() throws Exception {
        Settling settling = new Settling(true);
        CountDownLatch storeAnswers = new CountDownLatch(1);
        RecordedDelivery slow = new RecordedDelivery("slow", "", 1);
        Thread a = Thread.ofPlatform()
                .start(() -> settling.settle(slow, () -> {
                    await(storeAnswers);
                    slow.complete();
                }));
        a.join();
        RecordedDelivery[] others = {new RecordedDelivery("b1", "", 1), new RecordedDelivery("b2", "", 1)};
        Thread b = Thread.ofPlatform().start(() -> {
            for (RecordedDelivery d : others) {
                settling.settle(d, d::complete);
            }
        });
        b.join(PATIENCE);
        assertFalse(b.isAlive(), "the other slot settled twice while the first slot's store did not answer");
        storeAnswers.countDown();
        settling.drain(PATIENCE);
        assertEquals(List.of("complete"), slow.settled());
        assertEquals(List.of("complete"), others[0].settled());
        assertEquals(List.of("complete"), others[1].settled());
    }

    @Test
    void aSettlementThatFailsGivesItsMessageBack() {
        Settling settling = new Settling(true);
        RecordedDelivery delivery = new RecordedDelivery("m", "", 1);
        settling.settle(delivery, () -> {
            throw new IllegalStateException("the store is down");
        });
        settling.drain(PATIENCE);
        assertEquals(List.of("abandon"), delivery.settled());
    }

    @Test
    void anErrorInASettlementIsThrownOnItsSlot() {
        Settling settling = new Settling(true);
        RecordedDelivery delivery = new RecordedDelivery("m", "", 1);
        settling.settle(delivery, () -> {
            throw new OutOfMemoryError("Java heap space");
        });
        OutOfMemoryError thrown = assertThrows(
                OutOfMemoryError.class, () -> settling.settle(new RecordedDelivery("next", "", 1), () -> {}));
        assertEquals("Java heap space", thrown.getMessage());
        assertEquals(List.of("abandon"), delivery.settled(), "its message went back first");
    }

    @Test
    void aStopWaitsForTheSettlementsLeft() {
        Settling settling = new Settling(true);
        RecordedDelivery delivery = new RecordedDelivery("m", "", 1);
        settling.settle(delivery, () -> {
            sleep(500);
            delivery.complete();
        });
        assertEquals(List.of(), delivery.settled());
        settling.drain(PATIENCE);
        assertEquals(List.of("complete"), delivery.settled());
    }

    @Test
    void inlineTheSlotSettlesBeforeItGoesOn() {
        Settling settling = new Settling(false);
        RecordedDelivery delivery = new RecordedDelivery("m", "", 1);
        AtomicReference<Thread> settledOn = new AtomicReference<>();
        settling.settle(delivery, () -> {
            settledOn.set(Thread.currentThread());
            delivery.complete();
        });
        assertSame(Thread.currentThread(), settledOn.get());
        assertEquals(List.of("complete"), delivery.settled());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
