package io.codingengine.common.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The submission queue port: the api sends one message per submission, workers receive them under
 * a peek-lock. The contract is the one Azure Service Bus gives, so that the local adapter and the
 * Service Bus adapter are interchangeable:
 * <ul>
 *   <li><b>At-least-once.</b> A message leaves its lane only when a consumer completes or
 *       dead-letters it. A consumer that crashes, hangs past its lock or loses its connection gets
 *       the message delivered again, possibly to another process, so handling must be idempotent.
 *       Duplicate sends of one message id are not detected.</li>
 *   <li><b>Peek-lock.</b> A received message is invisible to every other receiver while its lock
 *       holds; the lock lasts a fixed duration from the receive (or the last
 *       {@link Delivery#renewLock()}), and the message becomes receivable again when the lock expires
 *       or the delivery is abandoned.</li>
 *   <li><b>Delivery count.</b> 1 on the first delivery, one more on every later delivery, whatever
 *       caused it (abandon, lock expiry, consumer crash).</li>
 *   <li><b>Dead-lettering.</b> A message is delivered at most {@code maxDeliveryCount} times
 *       (configured per adapter, default {@value #DEFAULT_MAX_DELIVERY_COUNT}): abandoning its last
 *       allowed delivery, or needing one more, moves it to its lane's dead letters with the reason
 *       {@value #MAX_DELIVERY_COUNT_EXCEEDED}. Dead letters stay until an operator removes them.</li>
 *   <li><b>Priority.</b> {@link #receive} serves the lanes in {@link Lane} declaration order; order
 *       within a lane is first-in first-out on a best-effort basis (redeliveries may overtake).</li>
 * </ul>
 * Implementations are thread-safe: any number of threads may send, receive and settle at once.
 */
public interface SubmissionQueue extends AutoCloseable {

    /** The delivery limit when an adapter is not told otherwise. */
    int DEFAULT_MAX_DELIVERY_COUNT = 5;

    /** The reason given to messages dead-lettered for having been delivered too often. */
    String MAX_DELIVERY_COUNT_EXCEEDED = "max delivery count exceeded";

    /**
     * The largest body, in UTF-8 bytes, that every adapter accepts: below Service Bus standard
     * tier's 256 KiB message limit with room for properties. Bigger payloads (sources, tests) belong
     * in storage, referenced from the body.
     */
    int MAX_BODY_BYTES = 192 * 1024;

    /**
     * Appends a message to a lane. When this returns the message is durable: it survives a crash or
     * restart of the broker and of the sender.
     *
     * @param messageId the submission id; non-blank
     * @param body      JSON text, opaque to the queue, at most {@link #MAX_BODY_BYTES} bytes in UTF-8
     * @throws IllegalArgumentException if the id is blank or the body too large
     * @throws QueueException           if the broker did not accept the message
     */
    void send(Lane lane, String messageId, String body);

    /**
     * Appends a message whose sender waits for its answer and gives up after a timeout (an execute,
     * a live run): the same contract as {@link #send} except that the adapter may keep it in memory
     * only, so a restart of the broker can lose it (its sender then times out, as it would
     * had the broker been unreachable). Keeping such a message durable costs journal writes and
     * syncs for a run nobody would wait for after a restart. Adapters without a cheaper kind of
     * message send it durably.
     *
     * @throws IllegalArgumentException if the id is blank or the body too large
     * @throws QueueException           if the broker did not accept the message
     */
    default void sendTransient(Lane lane, String messageId, String body) {
        send(lane, messageId, body);
    }

    /**
     * Takes the oldest receivable message of the highest-priority non-empty lane and locks it,
     * waiting up to {@code maxWait} for one to arrive.
     *
     * @return the locked delivery, or empty if no message became receivable in time
     * @throws QueueException if the broker cannot be reached
     */
    default Optional<Delivery> receive(Duration maxWait) {
        return receive(Lane.SERVED_ORDER, maxWait);
    }

    /**
     * Takes the oldest receivable message of the first non-empty lane in {@code order} and locks
     * it, waiting up to {@code maxWait} for one to arrive (in any of those lanes).
     *
     * @param order the lanes to serve, first preferred; lanes left out are not served
     * @return the locked delivery, or empty if no message became receivable in time
     * @throws QueueException if the broker cannot be reached
     */
    Optional<Delivery> receive(List<Lane> order, Duration maxWait);

    /**
     * Messages in a lane that are not yet completed nor dead-lettered: waiting, locked, and
     * abandoned with a delay that has not yet passed. This is what an autoscaler reads. Like Service
     * Bus' counts it may lag behind operations that just returned.
     */
    long depth(Lane lane);

    /** Up to {@code max} of a lane's dead letters, oldest first, without removing them. */
    List<DeadLetter> deadLetters(Lane lane, int max);

    /**
     * Takes a dead letter out of the lane's dead letters for good: once an admin sent its work
     * again (a new round of its submission, or its body to the lane) it is no longer dead.
     *
     * @return the dead letter as it was; empty when the lane has no dead letter with that id
     */
    Optional<DeadLetter> removeDeadLetter(Lane lane, String messageId);

    /**
     * Closes the connection. Deliveries not yet settled lose their lock: their messages will be
     * delivered again, and settling them throws {@link MessageLockLostException}.
     */
    @Override
    void close();

    /**
     * Checks the arguments of {@link #send} the same way in every adapter.
     *
     * @throws IllegalArgumentException if the id is blank or the body too large
     */
    static void requireSendable(String messageId, String body) {
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("messageId must not be blank");
        }
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException(
                    "body of " + messageId + " has " + bytes + " bytes, more than " + MAX_BODY_BYTES);
        }
    }
}
