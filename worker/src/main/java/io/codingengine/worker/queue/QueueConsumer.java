package io.codingengine.worker.queue;

import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.SubmissionQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worker's loop: one thread per sandbox slot, each taking a message only when it can run it
 * at once, so a worker never holds more messages than it can judge (the rest stay on the queue
 * for other workers). A failure of ours gives the message back after a delay.
 */
public final class QueueConsumer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);

    private final SubmissionQueue queue;
    private final WorkHandler handler;
    private final int slots;
    private final Duration receiveWait;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public QueueConsumer(SubmissionQueue queue, WorkHandler handler, int slots, Duration receiveWait) {
        this.queue = queue;
        this.handler = handler;
        this.slots = slots;
        this.receiveWait = receiveWait;
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < slots; i++) {
            threads.add(Thread.ofPlatform().name("judge-slot-" + i).start(this::loop));
        }
        LOG.info("worker consuming with {} slots", slots);
    }

    private void loop() {
        while (running) {
            Optional<Delivery> next;
            try {
                next = queue.receive(receiveWait);
            } catch (RuntimeException e) {
                LOG.warn("receive failed, retrying: {}", e.toString());
                sleep(Duration.ofSeconds(1));
                continue;
            }
            next.ifPresent(this::handle);
        }
    }

    private void handle(Delivery delivery) {
        try {
            handler.handle(delivery);
        } catch (RuntimeException e) {
            Duration delay = Duration.ofSeconds(Math.min(30, 1L << Math.min(5, delivery.deliveryCount())));
            LOG.error("work on {} failed (delivery {}), back on the queue in {}", delivery.messageId(),
                    delivery.deliveryCount(), delay, e);
            try {
                delivery.abandon(delay);
            } catch (RuntimeException abandonFailed) {
                LOG.warn("cannot abandon {}: its lock will expire", delivery.messageId(), abandonFailed);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
