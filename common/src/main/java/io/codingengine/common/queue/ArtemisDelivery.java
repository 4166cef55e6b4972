package io.codingengine.common.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.apache.activemq.artemis.api.core.ActiveMQException;

/**
 * A delivery that owns the {@link ArtemisChannel} whose open transaction holds the message's
 * acknowledgement. Artemis has no lock timeout of its own: the lock is this object's deadline, and
 * when it passes the channel is closed, which rolls the transaction back. Methods are synchronized
 * because the consumer's thread and the queue's lock timer both settle.
 */
final class ArtemisDelivery implements Delivery {

    private enum State {
        LOCKED,
        SETTLED,
        LOCK_LOST
    }

    private final ArtemisSubmissionQueue queue;
    private final ArtemisChannel channel;
    private final ArtemisChannel.Received message;
    private State state = State.LOCKED;
    private Instant lockedUntil;
    private ScheduledFuture<?> expiry;

    private ArtemisDelivery(ArtemisSubmissionQueue queue, ArtemisChannel channel, ArtemisChannel.Received message) {
        this.queue = queue;
        this.channel = channel;
        this.message = message;
    }

    /** Locks a message just received on {@code channel}, which now belongs to the delivery. */
    static ArtemisDelivery lock(ArtemisSubmissionQueue queue, ArtemisChannel channel, ArtemisChannel.Received message) {
        ArtemisDelivery delivery = new ArtemisDelivery(queue, channel, message);
        synchronized (delivery) {
            delivery.lockedUntil = Instant.now().plus(queue.lockDuration());
            delivery.expiry = queue.schedule(delivery::expireIfDue, queue.lockDuration());
        }
        queue.track(delivery);
        return delivery;
    }

    /** The channel whose transaction holds the acknowledgement. */
    ArtemisChannel channel() {
        return channel;
    }

    @Override
    public String messageId() {
        return message.messageId();
    }

    @Override
    public String body() {
        return message.body();
    }

    @Override
    public Lane lane() {
        return message.lane();
    }

    @Override
    public int deliveryCount() {
        return message.deliveryCount();
    }

    @Override
    public synchronized void complete() {
        settle(channel::commit);
    }

    @Override
    public synchronized void abandon(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        if (message.deliveryCount() >= queue.maxDeliveryCount()) {
            deadLetter(SubmissionQueue.MAX_DELIVERY_COUNT_EXCEEDED);
            return;
        }
        // A copy scheduled for later, committed with the original's acknowledgement: Artemis' own
        // redelivery delay is one setting per address, and the delay here is the caller's.
        settle(() -> {
            channel.send(
                    message.lane(),
                    message.messageId(),
                    message.body(),
                    message.deliveryCount(),
                    delay.isZero() ? null : Instant.now().plus(delay),
                    message.durable());
            channel.commit();
        });
    }

    @Override
    public synchronized void deadLetter(String reason) {
        Objects.requireNonNull(reason, "reason");
        settle(() -> channel.deadLetter(
                message.lane(), message.messageId(), message.body(), reason, message.deliveryCount()));
    }

    @Override
    public synchronized Instant renewLock() {
        requireLocked();
        lockedUntil = Instant.now().plus(queue.lockDuration());
        return lockedUntil;
    }

    /**
     * Gives back what the broker pushed into this delivery's channel unasked
     * ({@link ArtemisChannel#holdsUnreceived}) while the delivery holds the channel; a channel that
     * fails at it is left to the settlement, which then fails and the message comes back.
     *
     * @return how many consumers were replaced
     */
    synchronized int returnUnreceived() {
        if (state != State.LOCKED || !channel.holdsUnreceived()) {
            return 0;
        }
        try {
            return channel.returnUnreceived();
        } catch (ActiveMQException | RuntimeException e) {
            return 0; // the settlement finds the channel broken, and the lane gets both messages back
        }
    }

    private void settle(ChannelAction action) {
        requireLocked();
        queue.untrack(this);
        expiry.cancel(false);
        try {
            action.run();
        } catch (ActiveMQException e) {
            loseChannel();
            throw new MessageLockLostException("could not settle " + message.messageId(), e);
        } catch (RuntimeException e) {
            loseChannel();
            throw e;
        }
        state = State.SETTLED;
        queue.release(channel);
    }

    private void requireLocked() {
        if (state == State.LOCKED && !Instant.now().isBefore(lockedUntil)) {
            // The timer may not have run yet; a settlement after the deadline must fail all the same.
            expire();
        }
        switch (state) {
            case LOCKED -> {}
            case SETTLED -> throw new IllegalStateException(message.messageId() + " is already settled");
            case LOCK_LOST ->
                throw new MessageLockLostException("the lock on " + message.messageId() + " was lost", null);
        }
    }

    private synchronized void expireIfDue() {
        if (state != State.LOCKED) {
            return;
        }
        Duration left = Duration.between(Instant.now(), lockedUntil);
        if (left.isPositive()) {
            expiry = queue.schedule(this::expireIfDue, left);
        } else {
            expire();
        }
    }

    /**
     * Closes the channel rather than rolling back and reusing it: a rollback hands a window-0
     * consumer credit for Artemis' leftover forced-delivery markers, and the broker would push the
     * returning message straight back into this idle channel. Closing flushes the acknowledgement
     * first, so the broker counts the delivery, and rolls the transaction back.
     */
    private void expire() {
        expiry.cancel(false);
        loseChannel();
    }

    private void loseChannel() {
        queue.untrack(this);
        state = State.LOCK_LOST;
        queue.discard(channel);
    }

    @FunctionalInterface
    private interface ChannelAction {
        void run() throws ActiveMQException;
    }
}
