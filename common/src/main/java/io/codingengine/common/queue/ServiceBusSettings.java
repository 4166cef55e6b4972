package io.codingengine.common.queue;

import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where and how {@link ServiceBusSubmissionQueue} and {@link ServiceBusReplyChannel} connect.
 *
 * <p>Exactly one of {@code namespace} and {@code emulatorConnectionString} is set. On Azure it is
 * the namespace, authenticated by {@code DefaultAzureCredential} (the app's managed identity,
 * {@code managedIdentityClientId} picking a user-assigned one): no key is ever configured. The
 * connection string exists ONLY for the Service Bus emulator, which accepts nothing else, and is
 * refused unless it says {@code UseDevelopmentEmulator=true}.
 *
 * @param namespace                the namespace, {@code <name>.servicebus.windows.net} (a bare
 *                                 {@code <name>} gets that suffix)
 * @param emulatorConnectionString the emulator's connection string
 * @param managedIdentityClientId  user-assigned identity's client id; blank: the chain's default
 * @param lanes                    the queue of each lane
 * @param replyQueue               the session-enabled queue that carries Piston replies
 * @param maxDeliveryCount         deliveries after which a message is dead-lettered; each lane's
 *                                 own {@code MaxDeliveryCount} must be higher, so that the adapter,
 *                                 not the broker, decides (see {@link ServiceBusSubmissionQueue})
 * @param laneWait                 how long one receive waits on one lane before looking at the next
 * @param tryTimeout               how long one attempt of an operation may take; an operation is
 *                                 tried {@value #TRIES} times with a short backoff, so an unreachable
 *                                 namespace fails a send in about {@value #TRIES} times this, not minutes
 */
public record ServiceBusSettings(
        String namespace,
        String emulatorConnectionString,
        String managedIdentityClientId,
        Map<Lane, String> lanes,
        String replyQueue,
        int maxDeliveryCount,
        Duration laneWait,
        Duration tryTimeout) {

    /** The queue names infra/main.bicep and compose/servicebus-config.json create. */
    public static final Map<Lane, String> DEFAULT_LANES = defaultLanes();

    public static final String DEFAULT_REPLY_QUEUE = "replies";
    public static final Duration DEFAULT_TRY_TIMEOUT = Duration.ofSeconds(10);
    static final int TRIES = 3;
    private static final String EMULATOR_FLAG = "usedevelopmentemulator=true";

    public ServiceBusSettings {
        namespace = namespace == null ? "" : namespace.strip();
        emulatorConnectionString = emulatorConnectionString == null ? "" : emulatorConnectionString.strip();
        managedIdentityClientId = managedIdentityClientId == null ? "" : managedIdentityClientId.strip();
        if (namespace.isEmpty() == emulatorConnectionString.isEmpty()) {
            throw new IllegalArgumentException("set exactly one of the Service Bus namespace (Azure, managed identity)"
                    + " and the emulator connection string");
        }
        if (!emulatorConnectionString.isEmpty()
                && !emulatorConnectionString
                        .replace(" ", "")
                        .toLowerCase(Locale.ROOT)
                        .contains(EMULATOR_FLAG)) {
            throw new IllegalArgumentException("a Service Bus connection string is accepted only for the emulator"
                    + " (UseDevelopmentEmulator=true); on Azure set the namespace and use the managed identity");
        }
        Objects.requireNonNull(lanes, "lanes");
        for (Lane lane : Lane.values()) {
            if (lanes.get(lane) == null || lanes.get(lane).isBlank()) {
                throw new IllegalArgumentException("no Service Bus queue named for lane " + lane);
            }
        }
        if (lanes.values().stream().distinct().count() != Lane.values().length) {
            throw new IllegalArgumentException("each lane needs its own queue: " + lanes);
        }
        lanes = Map.copyOf(lanes);
        if (replyQueue == null || replyQueue.isBlank() || lanes.containsValue(replyQueue)) {
            throw new IllegalArgumentException("the reply queue needs a name of its own: " + replyQueue);
        }
        if (maxDeliveryCount < 1) {
            throw new IllegalArgumentException("maxDeliveryCount must be at least 1, was " + maxDeliveryCount);
        }
        if (!laneWait.isPositive() || !tryTimeout.isPositive()) {
            throw new IllegalArgumentException(
                    "laneWait and tryTimeout must be positive, were " + laneWait + ", " + tryTimeout);
        }
    }

    /** On Azure: the namespace with the managed identity, default queues and limits. */
    public static ServiceBusSettings azure(String namespace, String managedIdentityClientId) {
        return new ServiceBusSettings(
                namespace,
                "",
                managedIdentityClientId,
                DEFAULT_LANES,
                DEFAULT_REPLY_QUEUE,
                SubmissionQueue.DEFAULT_MAX_DELIVERY_COUNT,
                Duration.ofMillis(200),
                DEFAULT_TRY_TIMEOUT);
    }

    /** Against the emulator: its connection string, default queues and limits. */
    public static ServiceBusSettings emulator(String connectionString) {
        return new ServiceBusSettings(
                "",
                connectionString,
                "",
                DEFAULT_LANES,
                DEFAULT_REPLY_QUEUE,
                SubmissionQueue.DEFAULT_MAX_DELIVERY_COUNT,
                Duration.ofMillis(200),
                DEFAULT_TRY_TIMEOUT);
    }

    public ServiceBusSettings withMaxDeliveryCount(int count) {
        return new ServiceBusSettings(
                namespace,
                emulatorConnectionString,
                managedIdentityClientId,
                lanes,
                replyQueue,
                count,
                laneWait,
                tryTimeout);
    }

    public ServiceBusSettings withTryTimeout(Duration timeout) {
        return new ServiceBusSettings(
                namespace,
                emulatorConnectionString,
                managedIdentityClientId,
                lanes,
                replyQueue,
                maxDeliveryCount,
                laneWait,
                timeout);
    }

    public boolean usesEmulator() {
        return !emulatorConnectionString.isEmpty();
    }

    /** {@code <name>.servicebus.windows.net}; empty with the emulator. */
    public String fullyQualifiedNamespace() {
        if (namespace.isEmpty() || namespace.contains(".")) {
            return namespace;
        }
        return namespace + ".servicebus.windows.net";
    }

    /**
     * A client builder authenticated as these settings say; {@code credential} is asked only
     * without the emulator. Clients built from one builder share its AMQP connection.
     */
    public ServiceBusClientBuilder clientBuilder(Supplier<TokenCredential> credential) {
        ServiceBusClientBuilder builder = new ServiceBusClientBuilder()
                .retryOptions(new AmqpRetryOptions()
                        .setMaxRetries(TRIES - 1)
                        .setDelay(Duration.ofMillis(500))
                        .setMaxDelay(Duration.ofSeconds(5))
                        .setTryTimeout(tryTimeout));
        return usesEmulator()
                ? builder.connectionString(emulatorConnectionString)
                : builder.credential(fullyQualifiedNamespace(), credential.get());
    }

    private static Map<Lane, String> defaultLanes() {
        Map<Lane, String> names = new EnumMap<>(Lane.class);
        for (Lane lane : Lane.values()) {
            names.put(lane, lane.name().toLowerCase(Locale.ROOT));
        }
        return Map.copyOf(names);
    }
}
