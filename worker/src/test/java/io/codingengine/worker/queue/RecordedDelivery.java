package io.codingengine.worker.queue;

import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A delivery of the contest lane handed to a worker's code directly, without a broker, that
 * remembers how it was settled ({@code complete}, {@code abandon}, {@code dead-letter: reason}).
 * For tests of what the worker does with a message; the queue adapters have their own contract.
 */
record RecordedDelivery(String messageId, String body, int deliveryCount, List<String> settled) implements Delivery {

    RecordedDelivery(String messageId, String body, int deliveryCount) {
        this(messageId, body, deliveryCount, new CopyOnWriteArrayList<>());
    }

    @Override
    public Lane lane() {
        return Lane.CONTEST;
    }

    @Override
    public void complete() {
        settled.add("complete");
    }

    @Override
    public void abandon(Duration delay) {
        settled.add("abandon");
    }

    @Override
    public void deadLetter(String reason) {
        settled.add("dead-letter: " + reason);
    }

    @Override
    public Instant renewLock() {
        return Instant.now();
    }
}
