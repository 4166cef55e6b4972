package io.codingengine.common.queue;

import java.time.Duration;
import java.time.Instant;

/**
 * One locked delivery of a message from {@link SubmissionQueue#receive}. Exactly one of
 * {@link #complete()}, {@link #abandon(Duration)} and {@link #deadLetter(String)} settles it; until
 * then the message is invisible to other receivers for as long as the lock holds.
 *
 * <p>Settling is safe from any thread, but a delivery belongs to one piece of work: calls on it are
 * serialized, not meant to race.
 *
 * <p>Every settling method and {@link #renewLock()} throws {@link IllegalStateException} once the
 * delivery is settled, and {@link MessageLockLostException} once its lock is gone.
 */
public interface Delivery {

    /** The id the message was sent with. */
    String messageId();

    /** The body the message was sent with. */
    String body();

    /** The lane the message was sent to. */
    Lane lane();

    /** 1 on the first delivery of the message, incremented on every redelivery. */
    int deliveryCount();

    /** Removes the message from its lane for good: the work is done. */
    void complete();

    /**
     * Gives the message back: it becomes receivable again, with the next delivery count, no sooner
     * than {@code delay} from now ({@link Duration#ZERO} for at once). If this was its last allowed
     * delivery, it is dead-lettered with {@link SubmissionQueue#MAX_DELIVERY_COUNT_EXCEEDED} instead.
     */
    void abandon(Duration delay);

    /** Moves the message to its lane's dead letters, keeping {@code reason} for the operator. */
    void deadLetter(String reason);

    /**
     * Extends the lock to a full lock duration from now, for work that outlasts one lock.
     *
     * @return when the renewed lock expires
     */
    Instant renewLock();
}
