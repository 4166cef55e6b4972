package io.codingengine.common.queue;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.core.client.impl.ClientConsumerInternal;
import org.apache.activemq.artemis.core.client.impl.ClientSessionInternal;
import org.apache.activemq.artemis.reader.TextMessageUtil;

/**
 * One transacted Artemis core session with a producer and a consumer per lane. Artemis sessions are
 * not thread-safe, so a channel is confined: {@link ArtemisSubmissionQueue} lends it to one caller
 * at a time, and while it carries an unsettled delivery it belongs to that delivery.
 *
 * <p>Acknowledgements and sends share the session's transaction, which gives the queue its
 * semantics: a received message is acknowledged at once but the acknowledgement only takes effect
 * at commit (complete); closing the session (lock expiry) or a dead connection (crash) rolls back
 * and returns it with Artemis' delivery count incremented; and moving a message (abandon with a delay, dead-letter) is
 * one atomic commit of "send the copy, acknowledge the original".
 *
 * <p>This class also owns the broker-side layout: one durable anycast queue per lane, named
 * {@code ce.<lane>}, and one per lane for its dead letters, {@code ce.<lane>.dlq}.
 */
final class ArtemisChannel implements AutoCloseable {

    /** Every address of the queue starts with this, so one broker address setting covers them. */
    static final String ADDRESS_PREFIX = "ce.";

    private static final SimpleString MESSAGE_ID = SimpleString.of("ce.messageId");
    /** Deliveries of earlier copies: Artemis counts deliveries per copy, abandon makes a new copy. */
    private static final SimpleString PRIOR_DELIVERIES = SimpleString.of("ce.priorDeliveries");

    private static final SimpleString REASON = SimpleString.of("ce.reason");
    private static final SimpleString DELIVERY_COUNT = SimpleString.of("ce.deliveryCount");
    private static final SimpleString DEAD_LETTERED_AT = SimpleString.of("ce.deadLetteredAt");

    private final ClientSession session;
    private final long generation;
    private final ClientProducer producer;
    private final Map<Lane, ClientConsumer> consumers = new EnumMap<>(Lane.class);
    /**
     * By lane ordinal: the consumer's last receive left a marker to arrive ({@link #take}).
     * Written by the thread that holds the channel, read by the queue's lock thread.
     */
    private volatile int markersDue;

    private ArtemisChannel(ClientSession session, long generation) throws ActiveMQException {
        this.session = session;
        this.generation = generation;
        this.producer = session.createProducer();
        for (Lane lane : Lane.values()) {
            consumers.put(lane, session.createConsumer(address(lane)));
        }
        session.start();
    }

    /**
     * @param generation the client's count of failovers, read before the session is created, so
     *                   that a failover during the opening makes the channel stale at once
     */
    static ArtemisChannel open(ClientSessionFactory factory, ArtemisBroker broker, long generation)
            throws ActiveMQException {
        ClientSession session = broker.session(factory, false, false);
        try {
            return new ArtemisChannel(session, generation);
        } catch (ActiveMQException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Creates the lane and dead-letter queues that do not exist yet; any client may be first. */
    static void createQueues(ClientSessionFactory factory, ArtemisBroker broker) throws ActiveMQException {
        try (ClientSession session = broker.session(factory, true, true)) {
            for (Lane lane : Lane.values()) {
                createQueue(session, address(lane));
                createQueue(session, deadLetterAddress(lane));
            }
        }
    }

    private static void createQueue(ClientSession session, SimpleString name) throws ActiveMQException {
        if (session.queueQuery(name).isExists()) {
            return;
        }
        try {
            session.createQueue(QueueConfiguration.of(name)
                    .setRoutingType(RoutingType.ANYCAST)
                    .setDurable(true)
                    .setAutoCreateAddress(true));
        } catch (ActiveMQQueueExistsException createdByAnotherClient) {
            // the queue is there, which is all that was wanted
        }
    }

    private static SimpleString address(Lane lane) {
        return SimpleString.of(ADDRESS_PREFIX + lane.name().toLowerCase(Locale.ROOT));
    }

    private static SimpleString deadLetterAddress(Lane lane) {
        return address(lane).concat(".dlq");
    }

    /** The client's count of failovers when this channel's session was created. */
    long generation() {
        return generation;
    }

    /**
     * Takes the next message of the highest-priority non-empty lane, acknowledged in the open
     * transaction, or null when none came before the deadline or when {@code stale} turns true (a
     * failover: this session must not be used any more).
     */
    Received receive(
            List<Lane> order, long deadlineNanos, Duration pollInterval, LaneWaits waits, BooleanSupplier stale)
            throws ActiveMQException {
        if (order.size() == 1) {
            return receive(order.getFirst(), deadlineNanos, waits, stale);
        }
        while (!stale.getAsBoolean()) {
            for (Lane lane : order) {
                ClientMessage message = take(lane, 0);
                if (message != null) {
                    return accept(lane, message);
                }
            }
            long remainingMillis = NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remainingMillis <= 0) {
                return null;
            }
            // Blocking on the preferred lane serves it at once; the other lanes wait for the next
            // poll. At least 1 ms, since 0 means "forever" to Artemis.
            long waitMillis = Math.max(1, Math.min(pollInterval.toMillis(), remainingMillis));
            ClientMessage message = waitOn(order.getFirst(), waitMillis, waits);
            if (message != null) {
                return accept(order.getFirst(), message);
            }
            if (waitMillis >= remainingMillis) {
                return null; // the next call looks at every lane as it begins
            }
        }
        return null;
    }

    /**
     * From one lane, nothing to put first and nothing to look at meanwhile: one wait for the whole
     * call, which is granted the lane's next message at once. Polling first would make the broker
     * force a delivery and answer with a marker besides (three more calls each time), and waiting
     * in slices granted and took back a credit for each (ten a second for each idle slot kept for
     * interactive work). A failover during the wait is seen when it ends.
     */
    private Received receive(Lane lane, long deadlineNanos, LaneWaits waits, BooleanSupplier stale)
            throws ActiveMQException {
        if (stale.getAsBoolean()) {
            return null;
        }
        long remainingMillis = NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        ClientMessage message = remainingMillis <= 0 ? take(lane, 0) : waitOn(lane, remainingMillis, waits);
        return message == null ? null : accept(lane, message);
    }

    /** A {@link #take} that waits, counted among the client's waits on {@code lane} meanwhile. */
    private ClientMessage waitOn(Lane lane, long waitMillis, LaneWaits waits) throws ActiveMQException {
        waits.begin(lane);
        try {
            return take(lane, waitMillis);
        } finally {
            waits.end(lane);
        }
    }

    /**
     * One receive on {@code lane}'s consumer: at once (0) or waiting up to {@code waitMillis}. A
     * receive that had to ask the broker to force a delivery and got a message leaves the broker's
     * "nothing more" marker to arrive after it, one buffered entry that is no message, which the
     * next receive on that consumer skips; {@link #holdsUnreceived} must not take it for one.
     * Earlier markers are behind it by then: the broker sends them in order.
     */
    private ClientMessage take(Lane lane, long waitMillis) throws ActiveMQException {
        ClientConsumerInternal consumer = (ClientConsumerInternal) consumers.get(lane);
        long forced = consumer.getForceDeliveryCount();
        ClientMessage message = waitMillis == 0 ? consumer.receiveImmediate() : consumer.receive(waitMillis);
        int bit = 1 << lane.ordinal();
        markersDue =
                message != null && consumer.getForceDeliveryCount() != forced ? markersDue | bit : markersDue & ~bit;
        return message;
    }

    private static Received accept(Lane lane, ClientMessage message) throws ActiveMQException {
        message.acknowledge();
        int prior = message.containsProperty(PRIOR_DELIVERIES) ? message.getIntProperty(PRIOR_DELIVERIES) : 0;
        return new Received(
                lane,
                message.getStringProperty(MESSAGE_ID),
                bodyOf(message),
                prior + message.getDeliveryCount(),
                message.isDurable());
    }

    /**
     * Sends a message to a lane in the open transaction.
     *
     * @param priorDeliveries deliveries the message already had, so its count goes on
     * @param notBefore       when it may be delivered; null for at once
     * @param durable         false for a message kept in the broker's memory only
     */
    void send(Lane lane, String messageId, String body, int priorDeliveries, Instant notBefore, boolean durable)
            throws ActiveMQException {
        ClientMessage message = newMessage(messageId, body, durable);
        if (priorDeliveries > 0) {
            message.putIntProperty(PRIOR_DELIVERIES, priorDeliveries);
        }
        if (notBefore != null) {
            // Rounded up: the broker schedules in milliseconds and must not deliver early.
            long millis = notBefore.toEpochMilli() + (notBefore.getNano() % 1_000_000 == 0 ? 0 : 1);
            message.putLongProperty(Message.HDR_SCHEDULED_DELIVERY_TIME, millis);
        }
        producer.send(address(lane), message);
    }

    /** Sends a copy to the lane's dead letters and commits, with whatever else the transaction holds. */
    void deadLetter(Lane lane, String messageId, String body, String reason, int deliveryCount)
            throws ActiveMQException {
        ClientMessage message = newMessage(messageId, body, true);
        message.putStringProperty(REASON, SimpleString.of(reason));
        message.putIntProperty(DELIVERY_COUNT, deliveryCount);
        message.putLongProperty(DEAD_LETTERED_AT, System.currentTimeMillis());
        producer.send(deadLetterAddress(lane), message);
        session.commit();
    }

    void commit() throws ActiveMQException {
        session.commit();
    }

    long depth(Lane lane) throws ActiveMQException {
        return session.queueQuery(address(lane)).getMessageCount();
    }

    List<DeadLetter> browseDeadLetters(Lane lane, int max) throws ActiveMQException {
        List<DeadLetter> letters = new ArrayList<>();
        try (ClientConsumer browser = session.createConsumer(deadLetterAddress(lane), true)) {
            ClientMessage message;
            while (letters.size() < max && (message = browser.receiveImmediate()) != null) {
                letters.add(new DeadLetter(
                        message.getStringProperty(MESSAGE_ID),
                        bodyOf(message),
                        lane,
                        message.getStringProperty(REASON),
                        message.getIntProperty(DELIVERY_COUNT),
                        Instant.ofEpochMilli(message.getLongProperty(DEAD_LETTERED_AT))));
            }
        }
        return letters;
    }

    /**
     * Takes the dead letter with that id out of the lane's dead letters; null when there is none
     * among the first {@code scan}. The ones before it are received and not acknowledged: closing
     * the consumer puts them back at the head of the queue in their order. (A filter cannot name
     * the id: Artemis filters take no dotted property names.)
     */
    DeadLetter removeDeadLetter(Lane lane, String messageId, int scan) throws ActiveMQException {
        DeadLetter letter = null;
        try (ClientConsumer taker = session.createConsumer(deadLetterAddress(lane))) {
            ClientMessage message;
            for (int seen = 0; seen < scan && (message = taker.receiveImmediate()) != null; seen++) {
                if (messageId.equals(message.getStringProperty(MESSAGE_ID))) {
                    message.individualAcknowledge();
                    letter = new DeadLetter(
                            messageId,
                            bodyOf(message),
                            lane,
                            message.getStringProperty(REASON),
                            message.getIntProperty(DELIVERY_COUNT),
                            Instant.ofEpochMilli(message.getLongProperty(DEAD_LETTERED_AT)));
                    break;
                }
            }
        }
        if (letter == null) {
            session.rollback();
        } else {
            session.commit();
        }
        return letter;
    }

    private ClientMessage newMessage(String messageId, String body, boolean durable) {
        ClientMessage message = session.createMessage(Message.TEXT_TYPE, durable);
        message.putStringProperty(MESSAGE_ID, SimpleString.of(messageId));
        TextMessageUtil.writeBodyText(message.getBodyBuffer(), SimpleString.of(body));
        return message;
    }

    private static String bodyOf(ClientMessage message) {
        return TextMessageUtil.readBodyText(message.getBodyBuffer()).toString();
    }

    /** Closing the session rolls back its transaction, so an unsettled message returns to its lane. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (ActiveMQException alreadyBroken) {
            // the broker drops a broken session's work by itself
        }
    }

    /**
     * Whether a consumer holds a message that no receive took. A window-0 consumer is granted one
     * message by each receive, and a receive that finds its lane empty takes the grant back; a
     * message that reaches the broker in between is pushed into the consumer all the same and
     * waits there, unseen, until this channel receives on that lane again, which an idle channel
     * or one held by a long judging may not do for minutes.
     */
    boolean holdsUnreceived() {
        for (Lane lane : Lane.values()) {
            if (holdsUnreceived(lane)) {
                return true;
            }
        }
        return false;
    }

    private boolean holdsUnreceived(Lane lane) {
        int markerDue = (markersDue >> lane.ordinal()) & 1;
        return ((ClientConsumerInternal) consumers.get(lane)).getBufferSize() > markerDue;
    }

    /**
     * Closes each consumer holding a message no receive took, which puts the message back in its
     * lane for any receiver (the broker counts no delivery for it), and opens a fresh one in its
     * place. The session's transaction is untouched: a delivery's acknowledgement stays in it.
     *
     * @return how many consumers were replaced
     */
    int returnUnreceived() throws ActiveMQException {
        return returnUnreceivedOutside(List.of());
    }

    /** {@link #returnUnreceived()} for the lanes not in {@code kept}. */
    int returnUnreceivedOutside(List<Lane> kept) throws ActiveMQException {
        int replaced = 0;
        for (Lane lane : Lane.values()) {
            if (!kept.contains(lane) && holdsUnreceived(lane)) {
                consumers.get(lane).close();
                consumers.put(lane, session.createConsumer(address(lane)));
                markersDue &= ~(1 << lane.ordinal());
                replaced++;
            }
        }
        return replaced;
    }

    /**
     * Grants {@code lane}'s consumer one message with no receive waiting for it: what the race
     * described at {@link #holdsUnreceived} leaves behind, made on purpose by the queue's tests.
     */
    void grantWithoutReceive(Lane lane) {
        ((ClientSessionInternal) session).getSessionContext().sendConsumerCredits(consumers.get(lane), 1);
    }

    /** A message taken from a lane; {@code durable} as it was sent, which a redelivery keeps. */
    record Received(Lane lane, String messageId, String body, int deliveryCount, boolean durable) {}
}
