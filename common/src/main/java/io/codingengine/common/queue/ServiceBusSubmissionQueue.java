package io.codingengine.common.queue;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.administration.ServiceBusAdministrationClient;
import com.azure.messaging.servicebus.administration.ServiceBusAdministrationClientBuilder;
import com.azure.messaging.servicebus.administration.models.QueueRuntimeProperties;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.azure.messaging.servicebus.models.SubQueue;
import io.codingengine.common.azure.AzureCredentials;
import io.codingengine.common.azure.AzureHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link SubmissionQueue} on Azure Service Bus: one queue per lane (names in
 * {@link ServiceBusSettings}), authenticated by the managed identity on Azure and by a connection
 * string only against the emulator.
 *
 * <p><b>How the contract maps onto Service Bus.</b>
 * <ul>
 *   <li>Peek-lock is Service Bus' own, with the lock duration of the lane's queue; the SDK's
 *       automatic lock renewal is off, so a lock lasts exactly as the port says unless the consumer
 *       calls {@link Delivery#renewLock()} (which the worker does for long runs).</li>
 *   <li>{@code abandon(ZERO)} is Service Bus' abandon, which raises the native delivery count.
 *       {@code abandon(delay)} has no Service Bus equivalent: the adapter schedules a copy for
 *       {@code now + delay} carrying the deliveries so far ({@link ServiceBusMessages}), then
 *       completes the original; if completing fails (lock lost) the copy is cancelled, so the
 *       message exists once. A process that dies between the two leaves both, a duplicate that
 *       at-least-once delivery allows. Deferral was not used: a deferred message is only
 *       receivable by sequence number, which the next worker would not know.</li>
 *   <li>Dead-lettering is decided here, as in the Artemis adapter, so that it counts the port's
 *       deliveries (copies included): abandoning the last allowed delivery dead-letters, and a
 *       message received with a count past the limit (its holder crashed or let the lock expire)
 *       is dead-lettered on receipt with {@link SubmissionQueue#MAX_DELIVERY_COUNT_EXCEEDED}. Each
 *       lane's own {@code MaxDeliveryCount} must therefore be above the adapter's (infra sets 10
 *       for the worker's 5); should the broker dead-letter by itself anyway, its reason is shown
 *       as the port's.</li>
 *   <li>Depth is the queue's active plus scheduled messages: from the administration client's
 *       runtime properties on Azure; against the emulator, whose management endpoint the Java
 *       administration client cannot reach (it insists on HTTPS), by counting with peek, which
 *       shows waiting, locked and scheduled messages alike.</li>
 * </ul>
 *
 * <p><b>Receiving.</b> One receiver client per lane, peek-lock without prefetch. A receive asks
 * the lanes in priority order, each for up to {@code laneWait}, until a message comes or
 * {@code maxWait} passes. A message that reaches the synchronous client just after a wait ended is
 * released back to its queue by the SDK (its behaviour for peek-lock without prefetch), not kept
 * in a buffer while its lock runs out; and a delivery's lock deadline is always the broker's
 * {@code lockedUntil}, so a consumer never acts on a lock the broker no longer holds.
 *
 * <p>Thread-safe: the SDK's clients are, and settling is serialized per delivery.
 */
public final class ServiceBusSubmissionQueue implements SubmissionQueue {

    private static final int PEEK_BATCH = 250;
    /** Dead letters a removal looks through for the one it takes. */
    private static final int REQUEUE_SCAN = 1000;

    private final ServiceBusSettings settings;
    private final Map<Lane, ServiceBusSenderClient> senders = new EnumMap<>(Lane.class);
    private final Map<Lane, ServiceBusReceiverClient> receivers = new EnumMap<>(Lane.class);
    private final Map<Lane, ServiceBusReceiverClient> deadLetterBrowsers = new EnumMap<>(Lane.class);
    private final ServiceBusAdministrationClient administration;
    private volatile boolean closed;

    private ServiceBusSubmissionQueue(ServiceBusSettings settings, Supplier<TokenCredential> credential) {
        this.settings = settings;
        TokenCredential token = settings.usesEmulator() ? null : credential.get();
        ServiceBusClientBuilder builder = settings.clientBuilder(() -> token);
        for (Lane lane : Lane.values()) {
            String queue = settings.lanes().get(lane);
            senders.put(lane, builder.sender().queueName(queue).buildClient());
            receivers.put(
                    lane,
                    builder.receiver()
                            .queueName(queue)
                            .receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
                            .prefetchCount(0)
                            .maxAutoLockRenewDuration(Duration.ZERO)
                            .buildClient());
            deadLetterBrowsers.put(
                    lane,
                    builder.receiver()
                            .queueName(queue)
                            .subQueue(SubQueue.DEAD_LETTER_QUEUE)
                            .receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
                            .prefetchCount(0)
                            .maxAutoLockRenewDuration(Duration.ZERO)
                            .buildClient());
        }
        this.administration = settings.usesEmulator()
                ? null
                : new ServiceBusAdministrationClientBuilder()
                        .credential(settings.fullyQualifiedNamespace(), token)
                        .httpClient(AzureHttp.CLIENT)
                        .buildClient();
    }

    /** Connects as {@code settings} say: the emulator's connection string, or {@code DefaultAzureCredential}. */
    public static ServiceBusSubmissionQueue connect(ServiceBusSettings settings) {
        return connect(settings, () -> AzureCredentials.defaultCredential(settings.managedIdentityClientId()));
    }

    /** As {@link #connect(ServiceBusSettings)}, with the credential given (asked only without the emulator). */
    public static ServiceBusSubmissionQueue connect(ServiceBusSettings settings, Supplier<TokenCredential> credential) {
        Objects.requireNonNull(settings, "settings");
        try {
            return new ServiceBusSubmissionQueue(settings, credential);
        } catch (RuntimeException e) {
            throw new QueueException("cannot connect to Service Bus " + describe(settings), e);
        }
    }

    @Override
    public void send(Lane lane, String messageId, String body) {
        Objects.requireNonNull(lane, "lane");
        SubmissionQueue.requireSendable(messageId, body);
        requireOpen();
        try {
            senders.get(lane).sendMessage(ServiceBusMessages.toMessage(messageId, body));
        } catch (RuntimeException e) {
            throw new QueueException("send " + messageId + " failed", e);
        }
    }

    @Override
    public Optional<Delivery> receive(List<Lane> order, Duration maxWait) {
        requireOpen();
        if (order.isEmpty()) {
            throw new IllegalArgumentException("no lane to receive from");
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        do {
            for (Lane lane : order) {
                Optional<Delivery> delivery = receiveFrom(lane, settings.laneWait());
                if (delivery.isPresent()) {
                    return delivery;
                }
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private Optional<Delivery> receiveFrom(Lane lane, Duration wait) {
        ServiceBusReceiverClient receiver = receivers.get(lane);
        List<ServiceBusReceivedMessage> received = new ArrayList<>(1);
        try {
            receiver.receiveMessages(1, wait).forEach(received::add);
        } catch (RuntimeException e) {
            throw new QueueException("receive from " + lane + " failed", e);
        }
        for (ServiceBusReceivedMessage message : received) {
            int count =
                    ServiceBusMessages.deliveryCount(message.getApplicationProperties(), message.getDeliveryCount());
            ServiceBusDelivery delivery = new ServiceBusDelivery(this, lane, receiver, message, count);
            if (count <= settings.maxDeliveryCount()) {
                return Optional.of(delivery);
            }
            // Its last allowed delivery ended unsettled (crash, lock expiry): consumers saw one fewer.
            try {
                delivery.deadLetter(MAX_DELIVERY_COUNT_EXCEEDED, count - 1);
            } catch (MessageLockLostException e) {
                // Someone else's turn now; it comes back and is dead-lettered then.
            }
        }
        return Optional.empty();
    }

    @Override
    public long depth(Lane lane) {
        Objects.requireNonNull(lane, "lane");
        requireOpen();
        try {
            if (administration != null) {
                QueueRuntimeProperties p = administration.getQueueRuntimeProperties(
                        settings.lanes().get(lane));
                return p.getActiveMessageCount() + p.getScheduledMessageCount();
            }
            return peek(receivers.get(lane), Integer.MAX_VALUE).size();
        } catch (RuntimeException e) {
            throw new QueueException("depth of " + lane + " failed", e);
        }
    }

    @Override
    public List<DeadLetter> deadLetters(Lane lane, int max) {
        Objects.requireNonNull(lane, "lane");
        requireOpen();
        try {
            return peek(deadLetterBrowsers.get(lane), max).stream()
                    .map(m -> ServiceBusMessages.deadLetter(
                            lane,
                            m.getMessageId(),
                            m.getBody().toString(),
                            m.getDeadLetterReason(),
                            m.getApplicationProperties(),
                            m.getDeliveryCount(),
                            m.getEnqueuedTime()))
                    .toList();
        } catch (RuntimeException e) {
            throw new QueueException("dead letters of " + lane + " failed", e);
        }
    }

    /**
     * Receives the lane's dead letters in order (locked) until the one with that id, and
     * completes it; the ones received before it are abandoned (they stay dead letters). At most
     * {@link #REQUEUE_SCAN} are looked at.
     */
    @Override
    public Optional<DeadLetter> removeDeadLetter(Lane lane, String messageId) {
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(messageId, "messageId");
        requireOpen();
        ServiceBusReceiverClient dlq = deadLetterBrowsers.get(lane);
        List<ServiceBusReceivedMessage> passed = new ArrayList<>();
        try {
            if (peek(dlq, REQUEUE_SCAN).stream().noneMatch(m -> messageId.equals(m.getMessageId()))) {
                return Optional.empty();
            }
            while (passed.size() < REQUEUE_SCAN) {
                List<ServiceBusReceivedMessage> batch = dlq.receiveMessages(PEEK_BATCH, Duration.ofSeconds(5)).stream()
                        .toList();
                if (batch.isEmpty()) {
                    return Optional.empty();
                }
                ServiceBusReceivedMessage found = null;
                for (ServiceBusReceivedMessage m : batch) {
                    if (found == null && messageId.equals(m.getMessageId())) {
                        found = m;
                    } else {
                        passed.add(m);
                    }
                }
                if (found != null) {
                    DeadLetter letter = ServiceBusMessages.deadLetter(
                            lane,
                            found.getMessageId(),
                            found.getBody().toString(),
                            found.getDeadLetterReason(),
                            found.getApplicationProperties(),
                            found.getDeliveryCount(),
                            found.getEnqueuedTime());
                    dlq.complete(found);
                    return Optional.of(letter);
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new QueueException("removal of dead letter " + messageId + " failed", e);
        } finally {
            for (ServiceBusReceivedMessage m : passed) {
                try {
                    dlq.abandon(m);
                } catch (RuntimeException lockLost) {
                    // its lock runs out by itself and it stays where it was
                }
            }
        }
    }

    /** Up to {@code max} messages from the start of the queue, oldest first, without locking them. */
    private static List<ServiceBusReceivedMessage> peek(ServiceBusReceiverClient browser, int max) {
        List<ServiceBusReceivedMessage> messages = new ArrayList<>();
        long next = 0;
        while (messages.size() < max) {
            int before = messages.size();
            browser.peekMessages(Math.min(PEEK_BATCH, max - before), next).forEach(messages::add);
            if (messages.size() == before) {
                break;
            }
            next = messages.getLast().getSequenceNumber() + 1;
        }
        return messages;
    }

    /**
     * Schedules the copy that replaces a delivery abandoned with a delay.
     *
     * @return the copy's sequence number, to cancel it if the original cannot be completed
     */
    long scheduleRetry(Lane lane, ServiceBusReceivedMessage message, int deliveries, Duration delay) {
        return senders.get(lane)
                .scheduleMessage(
                        ServiceBusMessages.retryCopy(
                                message.getMessageId(), message.getBody().toString(), deliveries),
                        java.time.OffsetDateTime.now().plus(delay));
    }

    void cancelRetry(Lane lane, long sequenceNumber) {
        senders.get(lane).cancelScheduledMessage(sequenceNumber);
    }

    int maxDeliveryCount() {
        return settings.maxDeliveryCount();
    }

    boolean closed() {
        return closed;
    }

    static DeadLetterOptions deadLetterOptions(String reason, int deliveries) {
        return new DeadLetterOptions()
                .setDeadLetterReason(reason)
                .setPropertiesToModify(ServiceBusMessages.deadLetterProperties(deliveries, Instant.now()));
    }

    @Override
    public void close() {
        closed = true;
        receivers.values().forEach(ServiceBusReceiverClient::close);
        deadLetterBrowsers.values().forEach(ServiceBusReceiverClient::close);
        senders.values().forEach(ServiceBusSenderClient::close);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the queue is closed");
        }
    }

    private static String describe(ServiceBusSettings settings) {
        return settings.usesEmulator() ? "(emulator)" : settings.fullyQualifiedNamespace();
    }
}
