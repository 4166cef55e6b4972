package io.codingengine.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * What of the Service Bus adapter can be checked without a broker: its settings, the credential
 * choice, and how the port's delivery counts and dead letters map onto messages.
 */
@Tag("fast")
class ServiceBusMappingTest {

    private static final String EMULATOR = "Endpoint=sb://localhost:5672;SharedAccessKeyName=RootManageSharedAccessKey;"
            + "SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";

    @Test
    void settingsNeedExactlyOneOfNamespaceAndEmulatorAndRefuseKeysForAzure() {
        assertThrows(IllegalArgumentException.class, () -> ServiceBusSettings.azure("", ""));
        var both = assertThrows(
                IllegalArgumentException.class,
                () -> new ServiceBusSettings(
                        "ns",
                        EMULATOR,
                        "",
                        ServiceBusSettings.DEFAULT_LANES,
                        "replies",
                        5,
                        Duration.ofMillis(100),
                        ServiceBusSettings.DEFAULT_TRY_TIMEOUT));
        assertTrue(both.getMessage().contains("exactly one"), both.getMessage());
        var key = assertThrows(
                IllegalArgumentException.class,
                () -> ServiceBusSettings.emulator(
                        "Endpoint=sb://ce.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=x"));
        assertTrue(key.getMessage().contains("only for the emulator"), key.getMessage());
        assertTrue(ServiceBusSettings.emulator(EMULATOR).usesEmulator());
    }

    @Test
    void settingsNeedAQueuePerLaneAndAReplyQueueOfItsOwn() {
        Map<Lane, String> shared = Map.of(Lane.INTERACTIVE, "q", Lane.CONTEST, "q", Lane.REGRADE, "r");
        assertThrows(
                IllegalArgumentException.class,
                () -> new ServiceBusSettings(
                        "ns",
                        "",
                        "",
                        shared,
                        "replies",
                        5,
                        Duration.ofMillis(100),
                        ServiceBusSettings.DEFAULT_TRY_TIMEOUT));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ServiceBusSettings(
                        "ns",
                        "",
                        "",
                        Map.of(Lane.INTERACTIVE, "i", Lane.CONTEST, "c"),
                        "replies",
                        5,
                        Duration.ofMillis(100),
                        ServiceBusSettings.DEFAULT_TRY_TIMEOUT));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ServiceBusSettings(
                        "ns",
                        "",
                        "",
                        ServiceBusSettings.DEFAULT_LANES,
                        "contest",
                        5,
                        Duration.ofMillis(100),
                        ServiceBusSettings.DEFAULT_TRY_TIMEOUT));
        assertThrows(
                IllegalArgumentException.class,
                () -> ServiceBusSettings.azure("ns", "").withMaxDeliveryCount(0));
        assertEquals("regrade", ServiceBusSettings.azure("ns", "").lanes().get(Lane.REGRADE));
    }

    @Test
    void aBareNamespaceNameGetsTheServiceBusSuffix() {
        assertEquals(
                "ce-x.servicebus.windows.net",
                ServiceBusSettings.azure("ce-x", "").fullyQualifiedNamespace());
        assertEquals(
                "ce-x.servicebus.windows.net",
                ServiceBusSettings.azure("ce-x.servicebus.windows.net", "").fullyQualifiedNamespace());
    }

    @Test
    void theCredentialIsAskedForOnAzureAndNeverWithTheEmulator() {
        AtomicInteger asked = new AtomicInteger();
        TokenCredential standIn = context -> Mono.just(
                new AccessToken("t", OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
        ServiceBusSettings.emulator(EMULATOR).clientBuilder(() -> {
            asked.incrementAndGet();
            return standIn;
        });
        assertEquals(0, asked.get());
        ServiceBusSettings.azure("ce-x", "").clientBuilder(() -> {
            asked.incrementAndGet();
            return standIn;
        });
        assertEquals(1, asked.get());
    }

    @Test
    void clientsAreBuiltWithoutABrokerAndAnUnreachableOneIsAQueueException() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ServiceBusSettings settings = ServiceBusSettings.emulator(
                        "Endpoint=sb://127.0.0.1:" + closedPort
                                + ";SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;")
                .withTryTimeout(Duration.ofSeconds(1));
        long start = System.nanoTime();
        try (SubmissionQueue queue = ServiceBusSubmissionQueue.connect(settings, () -> {
            throw new AssertionError("no credential with the emulator");
        })) {
            var error = assertThrows(QueueException.class, () -> queue.send(Lane.CONTEST, "s-1", "{}"));
            assertTrue(error.getMessage().contains("s-1"), error.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 60, "gave up in bounded time");
            assertThrows(IllegalArgumentException.class, () -> queue.send(Lane.CONTEST, " ", "{}"));
        }
    }

    @Test
    void aScheduledRetryCopyCarriesTheDeliveriesSoFar() {
        ServiceBusMessage copy = ServiceBusMessages.retryCopy("s-1", "{\"a\":1}", 2);
        assertEquals("s-1", copy.getMessageId());
        assertEquals("{\"a\":1}", copy.getBody().toString());
        assertEquals("application/json", copy.getContentType());
        assertEquals(1, ServiceBusMessages.deliveryCount(Map.of(), 1), "an original's first delivery");
        assertEquals(
                3,
                ServiceBusMessages.deliveryCount(copy.getApplicationProperties(), 1),
                "the copy's first delivery is the message's third");
        assertEquals(4, ServiceBusMessages.deliveryCount(copy.getApplicationProperties(), 2));
    }

    @Test
    void deadLettersKeepTheReasonTheCountAndTheTime() {
        Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
        Map<String, Object> properties = new HashMap<>(ServiceBusMessages.deadLetterProperties(2, at));
        OffsetDateTime enqueued = OffsetDateTime.parse("2026-01-01T00:00:00Z");
        DeadLetter letter =
                ServiceBusMessages.deadLetter(Lane.CONTEST, "s-1", "{}", "checker crashed", properties, 7, enqueued);
        assertEquals(new DeadLetter("s-1", "{}", Lane.CONTEST, "checker crashed", 2, at), letter);
    }

    @Test
    void aDeadLetterOfTheBrokersOwnLimitReadsAsThePorts() {
        OffsetDateTime enqueued = OffsetDateTime.parse("2026-01-01T00:00:00Z");
        DeadLetter letter = ServiceBusMessages.deadLetter(
                Lane.REGRADE,
                "s-2",
                "{}",
                ServiceBusMessages.NATIVE_MAX_DELIVERY_REASON,
                Map.of(ServiceBusMessages.PRIOR_DELIVERIES, 2),
                8,
                enqueued);
        assertEquals(SubmissionQueue.MAX_DELIVERY_COUNT_EXCEEDED, letter.reason());
        assertEquals(10, letter.deliveryCount());
        assertEquals(enqueued.toInstant(), letter.deadLetteredAt());
        assertFalse(letter.reason().isBlank());
    }
}
