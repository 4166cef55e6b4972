package io.codingengine.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.queue.DeadLetter;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.queue.SubmissionQueue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A slot whose work throws an {@link Error}: before, the slot's thread died silently (only
 * RuntimeExceptions were caught), the worker stayed UP and judged less, and the message came back
 * to kill the next worker's slot the same way.
 */
@Tag("fast")
class QueueConsumerTest {

    /** A queue that hands out what the test puts in it, and the deliveries' settlements. */
    private static final class Queue implements SubmissionQueue {
        final BlockingQueue<Delivery> waiting = new LinkedBlockingQueue<>();

        @Override
        public void send(Lane lane, String messageId, String body) {
            waiting.add(new RecordedDelivery(messageId, body, 1));
        }

        @Override
        public Optional<Delivery> receive(List<Lane> order, Duration maxWait) {
            try {
                return Optional.ofNullable(waiting.poll(maxWait.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public long depth(Lane lane) {
            return waiting.size();
        }

        @Override
        public List<DeadLetter> deadLetters(Lane lane, int max) {
            return List.of();
        }

        @Override
        public Optional<DeadLetter> removeDeadLetter(Lane lane, String messageId) {
            return Optional.empty();
        }

        @Override
        public void close() {}
    }

    @Test
    void anErrorGivesTheMessageBackReportsDownAndEndsTheProcess() {
        Queue queue = new Queue();
        CompletableFuture<Throwable> exited = new CompletableFuture<>();
        QueueConsumer consumer = new QueueConsumer(
                queue,
                delivery -> {
                    if (delivery.body().equals("flood")) {
                        throw new OutOfMemoryError("Java heap space");
                    }
                    delivery.complete();
                },
                2,
                Duration.ofMillis(50),
                exited::complete);
        consumer.start();
        try {
            assertTrue(consumer.health().up(), consumer.health().toString());
            queue.send(Lane.CONTEST, "ok", "fine");
            queue.send(Lane.CONTEST, "flood", "flood");
            Throwable cause = exited.orTimeout(30, TimeUnit.SECONDS).join();
            assertInstanceOf(
                    OutOfMemoryError.class, cause, "the process is told to end: a supervisor starts a fresh one");
            QueueConsumer.Health health =
                    await().atMost(Duration.ofSeconds(10)).until(consumer::health, h -> h.alive() == 1);
            assertFalse(health.up(), "a dead slot makes the worker DOWN: " + health);
            assertEquals(2, health.slots());
            assertTrue(health.lastDeath().contains("OutOfMemoryError"), health.toString());
        } finally {
            consumer.stop();
        }
    }

    @Test
    void theMessageAnErrorInterruptedGoesBackOnTheQueue() {
        Queue queue = new Queue();
        RecordedDelivery flood = new RecordedDelivery("flood", "flood", 1);
        queue.waiting.add(flood);
        CompletableFuture<Throwable> exited = new CompletableFuture<>();
        QueueConsumer consumer = new QueueConsumer(
                queue,
                delivery -> {
                    throw new StackOverflowError();
                },
                1,
                Duration.ofMillis(50),
                exited::complete);
        consumer.start();
        try {
            exited.orTimeout(30, TimeUnit.SECONDS).join();
            assertEquals(
                    List.of("abandon"), flood.settled(), "back after a delay, not left locked until its lock expires");
        } finally {
            consumer.stop();
        }
    }

    @Test
    void aRuntimeExceptionLeavesTheSlotAlive() {
        Queue queue = new Queue();
        RecordedDelivery failing = new RecordedDelivery("bad", "bad", 1);
        queue.waiting.add(failing);
        CompletableFuture<Throwable> exited = new CompletableFuture<>();
        QueueConsumer consumer = new QueueConsumer(
                queue,
                delivery -> {
                    throw new IllegalStateException("the store is down");
                },
                1,
                Duration.ofMillis(50),
                exited::complete);
        consumer.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> failing.settled().contains("abandon"));
            assertTrue(consumer.health().up(), consumer.health().toString());
            assertFalse(exited.isDone());
        } finally {
            consumer.stop();
        }
        assertFalse(consumer.health().up(), "a stopped consumer judges nothing");
    }
}
