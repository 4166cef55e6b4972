package io.codingengine.common.queue;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A peek-locked Service Bus message. The lock is the broker's: {@code lockedUntil} is what the
 * broker said at receive or renewal, and a settlement after it fails here without asking the
 * broker, as it would there. Methods are synchronized: a delivery belongs to one piece of work,
 * but its lock renewal may run on another thread.
 */
final class ServiceBusDelivery implements Delivery {

    private final ServiceBusSubmissionQueue queue;
    private final Lane lane;
    private final ServiceBusReceiverClient receiver;
    private final ServiceBusReceivedMessage message;
    private final int deliveryCount;
    private final String body;
    private Instant lockedUntil;
    private boolean settled;

    ServiceBusDelivery(
            ServiceBusSubmissionQueue queue,
            Lane lane,
            ServiceBusReceiverClient receiver,
            ServiceBusReceivedMessage message,
            int deliveryCount) {
        this.queue = queue;
        this.lane = lane;
        this.receiver = receiver;
        this.message = message;
        this.deliveryCount = deliveryCount;
        this.body = message.getBody().toString();
        this.lockedUntil = message.getLockedUntil().toInstant();
    }

    @Override
    public String messageId() {
        return message.getMessageId();
    }

    @Override
    public String body() {
        return body;
    }

    @Override
    public Lane lane() {
        return lane;
    }

    @Override
    public int deliveryCount() {
        return deliveryCount;
    }

    @Override
    public synchronized void complete() {
        requireLocked();
        call(() -> receiver.complete(message));
        settled = true;
    }

    @Override
    public synchronized void abandon(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        if (deliveryCount >= queue.maxDeliveryCount()) {
            deadLetter(SubmissionQueue.MAX_DELIVERY_COUNT_EXCEEDED);
            return;
        }
        requireLocked();
        if (delay.isZero()) {
            call(() -> receiver.abandon(message));
        } else {
            long copy = call(() -> queue.scheduleRetry(lane, message, deliveryCount, delay));
            try {
                call(() -> receiver.complete(message));
            } catch (RuntimeException e) {
                // The original stays (it comes back when its lock ends): the copy must not.
                queue.cancelRetry(lane, copy);
                throw e;
            }
        }
        settled = true;
    }

    @Override
    public synchronized void deadLetter(String reason) {
        Objects.requireNonNull(reason, "reason");
        deadLetter(reason, deliveryCount);
    }

    /** Dead-letters, recording {@code deliveries} as the deliveries consumers saw. */
    synchronized void deadLetter(String reason, int deliveries) {
        requireLocked();
        call(() -> receiver.deadLetter(message, ServiceBusSubmissionQueue.deadLetterOptions(reason, deliveries)));
        settled = true;
    }

    @Override
    public synchronized Instant renewLock() {
        requireLocked();
        lockedUntil = call(() -> receiver.renewMessageLock(message)).toInstant();
        return lockedUntil;
    }

    private void requireLocked() {
        if (settled) {
            throw new IllegalStateException(messageId() + " is already settled");
        }
        if (queue.closed() || !Instant.now().isBefore(lockedUntil)) {
            throw new MessageLockLostException("the lock on " + messageId() + " was lost", null);
        }
    }

    private <T> T call(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (ServiceBusException e) {
            if (e.getReason() == ServiceBusFailureReason.MESSAGE_LOCK_LOST) {
                throw new MessageLockLostException("the lock on " + messageId() + " was lost", e);
            }
            throw new QueueException("settling " + messageId() + " failed", e);
        } catch (IllegalStateException e) {
            // The receiver was closed under us: the message returns to its lane.
            throw new MessageLockLostException("the lock on " + messageId() + " was lost", e);
        }
    }

    private void call(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }
}
