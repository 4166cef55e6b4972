package io.codingengine.common.queue;

import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * The {@link SubmissionQueue} on Apache ActiveMQ Artemis, through its core client: the local
 * default, against the broker embedded in the api ({@link EmbeddedArtemisBroker}) or any Artemis
 * broker, at a URL such as {@code tcp://127.0.0.1:61616} or {@code vm://0}.
 *
 * <p><b>How the contract maps onto Artemis.</b> Each lane is a durable anycast queue with a
 * dead-letter queue beside it (layout in {@link ArtemisChannel}). A received message is
 * acknowledged inside a transaction that stays open while it is locked; completing commits, and a
 * consumer that dies (even by SIGKILL) leaves the transaction to the broker, which rolls it back
 * when the connection drops and delivers the message again with its delivery count incremented.
 * Lock expiry, the caller's abandon delay and dead-lettering with a reason have no Artemis
 * equivalent and are done here: the lock is a client-side deadline that closes the session, which
 * rolls the transaction back, and abandon or dead-letter commits a copy (scheduled, or to the dead-letter queue with the reason
 * as a property) together with the acknowledgement. The broker must therefore not dead-letter or
 * delay on its own: lane addresses need {@code max-delivery-attempts} of -1 (or above this client's
 * {@code maxDeliveryCount}) and no {@code redelivery-delay}, as {@link EmbeddedArtemisBroker} sets.
 *
 * <p><b>Threading.</b> The instance is thread-safe. It keeps one connection and a pool of
 * {@link ArtemisChannel}s (a session each); every call borrows a channel and returns it, and a
 * receive that yields a message hands its channel to the {@link Delivery} until it is settled, so
 * a worker holding n messages while k threads wait for more uses n + k sessions. One daemon thread
 * enforces lock deadlines. Consumers do not prefetch (window 0): messages wait on the broker, not in
 * a client that is busy with other work; the one a receive's grant lets through after the receive
 * gave up is sent back to its lane by the same thread within a poll interval, or by the next
 * receive that borrows the channel without taking from that lane ({@link #borrowFor}).
 *
 * <p><b>Reconnection.</b> The connection retries for ever, so workers outlive a restart of the api
 * that hosts the broker. Artemis recreates each session on the restarted broker, but a transacted
 * one that had done work is then rollback-only (its commit fails with AMQ219030), and each
 * recreated window-0 consumer is granted one credit, so the broker pushes a message into whichever
 * idle channel's consumer it likes, where it waits unseen until that channel is borrowed. So a
 * failover makes every channel opened before it stale: idle ones are closed as soon as it completes
 * (which returns anything pushed into them to its lane), a receive waiting on one moves to a fresh
 * channel, a message received on one goes back to its lane instead of to the caller, and a
 * delivery's channel is closed when it is settled. A delivery held across the failover cannot be
 * settled (the broker that knew it restarted, and a durable message is back in its lane).
 */
public final class ArtemisSubmissionQueue implements SubmissionQueue {

    /** Dead letters a removal looks through for the one it takes. */
    private static final int DEAD_LETTER_SCAN = 1000;

    /**
     * @param maxDeliveryCount deliveries after which a message is dead-lettered
     * @param lockDuration     how long a received message stays locked without renewal
     * @param pollInterval     how often a receive from several lanes looks at the lanes after the
     *                         first (it waits on the first, which is served at once)
     * @param idleAfter        how long this client received nothing before such a receive looks at
     *                         the lanes after the first only once per call: each look is a forced
     *                         delivery, several calls to the broker, so idle workers polling every
     *                         {@code pollInterval} kept the broker busy in proportion to their number
     */
    public record Settings(int maxDeliveryCount, Duration lockDuration, Duration pollInterval, Duration idleAfter) {

        /** Five deliveries, and a one-minute lock as on Service Bus. */
        public static final Settings DEFAULT = new Settings(DEFAULT_MAX_DELIVERY_COUNT, Duration.ofSeconds(60));

        public Settings {
            if (maxDeliveryCount < 1) {
                throw new IllegalArgumentException("maxDeliveryCount must be at least 1, was " + maxDeliveryCount);
            }
            if (!lockDuration.isPositive() || !pollInterval.isPositive() || idleAfter.isNegative()) {
                throw new IllegalArgumentException(
                        "lockDuration and pollInterval must be positive, idleAfter not negative");
            }
        }

        /** Lanes after the first looked at every 100 ms, and once per receive after 10 s without a message. */
        public Settings(int maxDeliveryCount, Duration lockDuration) {
            this(maxDeliveryCount, lockDuration, Duration.ofMillis(100), Duration.ofSeconds(10));
        }
    }

    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ArtemisBroker broker;
    private final Settings settings;
    private final Deque<ArtemisChannel> idle = new ConcurrentLinkedDeque<>();
    private final Set<ArtemisChannel> channels = ConcurrentHashMap.newKeySet();
    /** Deliveries not settled yet, whose channels are looked at for messages nobody received. */
    private final Set<ArtemisDelivery> held = ConcurrentHashMap.newKeySet();
    /** Consumers closed and opened again to give back a message nobody received. */
    private final AtomicLong consumersReplaced = new AtomicLong();
    /** When a receive last returned a message ({@link System#nanoTime}). */
    private volatile long lastReceived = System.nanoTime();
    /** The receives of this client waiting on each lane now. */
    private final LaneWaits waits = new LaneWaits();

    private final ScheduledThreadPoolExecutor lockTimer;
    /** Failovers seen; a channel opened under an earlier count is stale. */
    private final AtomicLong generation = new AtomicLong();

    private volatile boolean closed;

    private ArtemisSubmissionQueue(
            ServerLocator locator, ClientSessionFactory factory, ArtemisBroker broker, Settings settings) {
        this.locator = locator;
        this.factory = factory;
        this.broker = broker;
        this.settings = settings;
        this.lockTimer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name("artemis-queue-locks").factory());
        // Most locks end by settlement long before their deadline; keep no dead timers around.
        lockTimer.setRemoveOnCancelPolicy(true);
        long poll = settings.pollInterval().toNanos();
        lockTimer.scheduleWithFixedDelay(this::returnUnreceived, poll, poll, TimeUnit.NANOSECONDS);
        factory.addFailoverListener(this::failoverEvent);
    }

    /** A broker without authentication, with the default settings. */
    public static ArtemisSubmissionQueue connect(String brokerUrl) {
        return connect(ArtemisBroker.anonymous(brokerUrl), Settings.DEFAULT);
    }

    /** A broker without authentication. */
    public static ArtemisSubmissionQueue connect(String brokerUrl, Settings settings) {
        return connect(ArtemisBroker.anonymous(brokerUrl), settings);
    }

    /**
     * Connects and creates the lane and dead-letter queues if the broker lacks them.
     *
     * @throws QueueException if the broker cannot be reached
     */
    public static ArtemisSubmissionQueue connect(ArtemisBroker broker, Settings settings) {
        Objects.requireNonNull(settings, "settings");
        ServerLocator locator = broker.locator();
        // A prefetched message would be locked by a client that is busy with other work.
        locator.setConsumerWindowSize(0);
        // Workers outlive a restart of the api that hosts the broker: they reconnect, and whatever
        // they held comes back to the lanes.
        locator.setReconnectAttempts(-1);
        locator.setBlockOnDurableSend(true);
        try {
            ClientSessionFactory factory = locator.createSessionFactory();
            ArtemisChannel.createQueues(factory, broker);
            return new ArtemisSubmissionQueue(locator, factory, broker, settings);
        } catch (Exception e) {
            locator.close();
            throw new QueueException("cannot connect to the Artemis broker at " + broker, e);
        }
    }

    @Override
    public void send(Lane lane, String messageId, String body) {
        send(lane, messageId, body, true);
    }

    /** A non-durable message: it never touches the broker's journal, and a broker restart drops it. */
    @Override
    public void sendTransient(Lane lane, String messageId, String body) {
        send(lane, messageId, body, false);
    }

    private void send(Lane lane, String messageId, String body, boolean durable) {
        Objects.requireNonNull(lane, "lane");
        SubmissionQueue.requireSendable(messageId, body);
        withChannel("send " + messageId, channel -> {
            channel.send(lane, messageId, body, 0, null, durable);
            channel.commit();
            return null;
        });
    }

    @Override
    public Optional<Delivery> receive(List<Lane> order, Duration maxWait) {
        if (order.isEmpty()) {
            throw new IllegalArgumentException("no lane to receive from");
        }
        long now = System.nanoTime();
        long deadline = now + maxWait.toNanos();
        Duration lookAgain = lookAgain(order, now, maxWait);
        ArtemisChannel channel = borrowFor(order);
        try {
            while (true) {
                ArtemisChannel current = channel;
                ArtemisChannel.Received message =
                        channel.receive(order, deadline, lookAgain, waits, () -> isStale(current));
                if (isStale(channel)) {
                    // A failover came: a message received here is acknowledged in a transaction
                    // that cannot commit; closing the session puts it back in its lane.
                    discard(channel);
                    if (System.nanoTime() - deadline >= 0) {
                        return Optional.empty();
                    }
                    channel = borrowFor(order);
                    continue;
                }
                if (message == null) {
                    break;
                }
                lastReceived = System.nanoTime();
                if (message.deliveryCount() <= settings.maxDeliveryCount()) {
                    // From here on the channel belongs to the delivery.
                    return Optional.of(ArtemisDelivery.lock(this, channel, message));
                }
                // Its last allowed delivery ended without a settlement: the consumer crashed or
                // let the lock expire. The deliveries consumers saw are one fewer than this one.
                channel.deadLetter(
                        message.lane(),
                        message.messageId(),
                        message.body(),
                        MAX_DELIVERY_COUNT_EXCEEDED,
                        message.deliveryCount() - 1);
            }
        } catch (ActiveMQException | RuntimeException e) {
            discard(channel);
            throw new QueueException("receive failed", e);
        }
        release(channel);
        return Optional.empty();
    }

    /**
     * How often a receive from {@code order} looks at the lanes after the first, the one it waits
     * on: every poll interval, unless this client received nothing for {@code idleAfter} and each
     * of those lanes is one that another of its receives waits on now (served at once) or one no
     * person waits for (regrades); then only as the receive begins.
     */
    private Duration lookAgain(List<Lane> order, long now, Duration maxWait) {
        if (now - lastReceived < settings.idleAfter().toNanos()) {
            return settings.pollInterval();
        }
        for (Lane lane : order.subList(1, order.size())) {
            if (lane.awaited() && !waits.anyOn(lane)) {
                return settings.pollInterval();
            }
        }
        return maxWait;
    }

    @Override
    public long depth(Lane lane) {
        Objects.requireNonNull(lane, "lane");
        return withChannel("depth of " + lane, channel -> channel.depth(lane));
    }

    @Override
    public List<DeadLetter> deadLetters(Lane lane, int max) {
        Objects.requireNonNull(lane, "lane");
        return withChannel("dead letters of " + lane, channel -> channel.browseDeadLetters(lane, max));
    }

    @Override
    public Optional<DeadLetter> removeDeadLetter(Lane lane, String messageId) {
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(messageId, "messageId");
        return Optional.ofNullable(withChannel(
                "removal of dead letter " + messageId,
                channel -> channel.removeDeadLetter(lane, messageId, DEAD_LETTER_SCAN)));
    }

    @Override
    public void close() {
        closed = true;
        lockTimer.shutdownNow();
        channels.forEach(ArtemisChannel::close);
        factory.close();
        locator.close();
    }

    int maxDeliveryCount() {
        return settings.maxDeliveryCount();
    }

    Duration lockDuration() {
        return settings.lockDuration();
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return lockTimer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Returns a channel whose transaction is finished to the pool. */
    void release(ArtemisChannel channel) {
        if (closed || isStale(channel)) {
            discard(channel);
            return;
        }
        // Last in, first out: the busiest channels stay warm and idle ones stay idle.
        idle.offerFirst(channel);
    }

    /** Drops a channel in an unknown state; closing its session rolls back on the broker. */
    void discard(ArtemisChannel channel) {
        channels.remove(channel);
        idle.remove(channel);
        channel.close();
    }

    private ArtemisChannel borrow() {
        if (closed) {
            throw new IllegalStateException("the queue is closed");
        }
        ArtemisChannel channel;
        while ((channel = idle.pollFirst()) != null) {
            if (!isStale(channel)) {
                return channel;
            }
            discard(channel);
        }
        try {
            channel = ArtemisChannel.open(factory, broker, generation.get());
        } catch (ActiveMQException e) {
            throw new QueueException("cannot open a session", e);
        }
        channels.add(channel);
        return channel;
    }

    /**
     * A channel for a receive from {@code order}, after giving back to its lane any message the
     * broker pushed into one of its consumers of another lane, which this receive would not see.
     * The lock thread ({@link #returnUnreceived}) sees only the channels idle at that moment, and
     * a slot that receives from one lane over and over takes the same channel back from the pool
     * at once (last in, first out), so such a message stayed there for as long as the slot kept
     * receiving. A message in a lane of {@code order} is this receive's to take.
     */
    private ArtemisChannel borrowFor(List<Lane> order) {
        ArtemisChannel channel = borrow();
        try {
            consumersReplaced.addAndGet(channel.returnUnreceivedOutside(order));
        } catch (ActiveMQException | RuntimeException e) {
            discard(channel); // closing it puts what it held back in its lane
            throw new QueueException("cannot give back what a session held", e);
        }
        return channel;
    }

    private boolean isStale(ArtemisChannel channel) {
        return channel.generation() != generation.get();
    }

    /**
     * Called by Artemis when the connection fails and when it is back. Both make the channels open
     * until then stale (a session opened while reconnecting is not trusted either); once the
     * connection is back, the idle ones are closed, off Artemis' thread.
     */
    private void failoverEvent(FailoverEventType event) {
        generation.incrementAndGet();
        if (event == FailoverEventType.FAILOVER_COMPLETED && !closed) {
            try {
                lockTimer.execute(this::discardStaleIdleChannels);
            } catch (RejectedExecutionException closing) {
                // close() discards them all
            }
        }
    }

    /** How many consumers were replaced to give back a message nobody received. */
    long consumersReplaced() {
        return consumersReplaced.get();
    }

    void track(ArtemisDelivery delivery) {
        held.add(delivery);
    }

    void untrack(ArtemisDelivery delivery) {
        held.remove(delivery);
    }

    /**
     * Every poll interval: a message the broker pushed into a channel nobody receives on
     * ({@link ArtemisChannel#holdsUnreceived}), an idle one or one a delivery holds, goes back to
     * its lane, so that it waits no longer than a message on a lower lane does.
     */
    private void returnUnreceived() {
        try {
            // A stale channel (opened before a failover) is closed instead, idle or when settled.
            for (ArtemisChannel channel : idle) {
                if (!isStale(channel) && channel.holdsUnreceived() && idle.remove(channel)) {
                    try {
                        consumersReplaced.addAndGet(channel.returnUnreceived());
                        release(channel);
                    } catch (ActiveMQException | RuntimeException e) {
                        discard(channel); // closing it puts what it held back in its lane
                    }
                }
            }
            for (ArtemisDelivery delivery : held) {
                if (!isStale(delivery.channel())) {
                    consumersReplaced.addAndGet(delivery.returnUnreceived());
                }
            }
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: the next round tries once more
        }
    }

    private void discardStaleIdleChannels() {
        for (ArtemisChannel channel : idle) {
            if (isStale(channel) && idle.remove(channel)) {
                discard(channel);
            }
        }
    }

    private <T> T withChannel(String what, ChannelCall<T> call) {
        ArtemisChannel channel = borrow();
        T result;
        try {
            result = call.apply(channel);
        } catch (ActiveMQException | RuntimeException e) {
            discard(channel);
            throw new QueueException(what + " failed", e);
        }
        release(channel);
        return result;
    }

    @FunctionalInterface
    private interface ChannelCall<T> {
        T apply(ArtemisChannel channel) throws ActiveMQException;
    }
}
