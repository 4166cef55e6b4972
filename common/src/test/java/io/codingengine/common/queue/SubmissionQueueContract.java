package io.codingengine.common.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link SubmissionQueue} contract, run against a real broker by every adapter that can run
 * here: a subclass starts and stops its broker and connects clients configured with
 * {@link #MAX_DELIVERY_COUNT} and {@link #LOCK_DURATION}. An adapter whose broker cannot be
 * restarted from a test overrides {@link #sentMessagesSurviveABrokerRestart} with a visible
 * {@code @Disabled} reason.
 *
 * <p>Timing assertions only ever say "not before": a loaded machine makes things late, never early.
 */
@Timeout(60)
public abstract class SubmissionQueueContract {

    protected static final int MAX_DELIVERY_COUNT = 3;
    /** Service Bus' shortest lock. */
    protected static final Duration LOCK_DURATION = Duration.ofSeconds(5);
    /** Ample time for something that must arrive; only a failing test waits this long. */
    protected static final Duration ARRIVES = Duration.ofSeconds(20);
    /** How long a receive waits to show that nothing is receivable. */
    protected static final Duration NOTHING = Duration.ofMillis(300);

    @TempDir
    private Path brokerData;

    private final List<SubmissionQueue> clients = new ArrayList<>();

    /** Starts the broker under test, keeping its storage in {@code dataDir}. */
    protected abstract void startBroker(Path dataDir) throws Exception;

    protected abstract void stopBroker() throws Exception;

    /** A new client of the running broker, with this contract's delivery limit and lock duration. */
    protected abstract SubmissionQueue connect();

    @BeforeEach
    final void startBrokerInTempDir() throws Exception {
        startBroker(brokerData);
    }

    @AfterEach
    final void closeClientsThenStopBroker() throws Exception {
        closeClients();
        stopBroker();
    }

    /** A client that is closed after the test, before the broker stops. */
    protected final SubmissionQueue client() {
        SubmissionQueue queue = connect();
        clients.add(queue);
        return queue;
    }

    protected static Delivery receive(SubmissionQueue queue) {
        return queue.receive(ARRIVES).orElseThrow(() -> new AssertionError("nothing received in " + ARRIVES));
    }

    protected static void assertNothingReceivable(SubmissionQueue queue) {
        queue.receive(NOTHING).ifPresent(d -> {
            throw new AssertionError("received " + d.messageId() + " (delivery " + d.deliveryCount() + ")");
        });
    }

    private void closeClients() {
        clients.forEach(SubmissionQueue::close);
        clients.clear();
    }

    @Test
    void sentMessageIsReceivedWithItsIdBodyAndLaneThenCompleted() {
        SubmissionQueue queue = client();
        String body = "{\"source\":\"print('héllo → 世界')\"}";
        queue.send(Lane.CONTEST, "s-1", body);

        Delivery delivery = receive(queue);
        assertEquals("s-1", delivery.messageId());
        assertEquals(body, delivery.body());
        assertEquals(Lane.CONTEST, delivery.lane());
        assertEquals(1, delivery.deliveryCount());
        delivery.complete();

        assertThrows(IllegalStateException.class, delivery::complete);
        assertNothingReceivable(queue);
    }

    @Test
    void aTransientMessageIsReceivedLockedAbandonedAndCompletedAsAnyOther() {
        SubmissionQueue first = client();
        SubmissionQueue second = client();
        first.sendTransient(Lane.INTERACTIVE, "e-1", "{\"run\":1}");

        Delivery held = receive(first);
        assertEquals("e-1", held.messageId());
        assertEquals("{\"run\":1}", held.body());
        assertEquals(1, held.deliveryCount());
        assertNothingReceivable(second);
        held.abandon(Duration.ofMillis(200));

        Delivery again = receive(second);
        assertEquals("e-1", again.messageId());
        assertEquals(2, again.deliveryCount());
        again.complete();
        assertNothingReceivable(first);
        assertThrows(IllegalArgumentException.class, () -> first.sendTransient(Lane.INTERACTIVE, " ", "{}"));
    }

    @Test
    void receiveServesInteractiveThenContestThenRegrade() {
        SubmissionQueue queue = client();
        queue.send(Lane.REGRADE, "r", "{}");
        queue.send(Lane.CONTEST, "c", "{}");
        queue.send(Lane.INTERACTIVE, "i", "{}");

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Delivery delivery = receive(queue);
            order.add(delivery.messageId());
            delivery.complete();
        }
        assertEquals(List.of("i", "c", "r"), order);
    }

    @Test
    void receiveServesTheLanesInTheOrderAskedAndOnlyThose() {
        SubmissionQueue queue = client();
        queue.send(Lane.INTERACTIVE, "i", "{}");
        queue.send(Lane.CONTEST, "c", "{}");

        assertTrue(
                queue.receive(List.of(Lane.REGRADE), Duration.ofMillis(500)).isEmpty(),
                "a lane not asked for is not served, however full");
        Delivery contest = queue.receive(List.of(Lane.CONTEST, Lane.INTERACTIVE), Duration.ofSeconds(10))
                .orElseThrow();
        assertEquals("c", contest.messageId());
        contest.complete();
        Delivery interactive = queue.receive(List.of(Lane.CONTEST, Lane.INTERACTIVE), Duration.ofSeconds(10))
                .orElseThrow();
        assertEquals("i", interactive.messageId(), "the next lane when the first is empty");
        interactive.complete();
    }

    @Test
    void lockedMessageIsInvisibleToOtherReceiversUntilAbandonedAndGoneOnceCompleted() {
        SubmissionQueue first = client();
        SubmissionQueue second = client();
        first.send(Lane.INTERACTIVE, "s-1", "{}");

        Delivery held = receive(first);
        assertNothingReceivable(second);
        held.abandon(Duration.ZERO);

        Delivery again = receive(second);
        assertEquals("s-1", again.messageId());
        assertEquals(2, again.deliveryCount());
        again.complete();
        assertNothingReceivable(first);
        assertNothingReceivable(second);
    }

    @Test
    void abandonedMessageComesBackNoSoonerThanTheDelay() {
        SubmissionQueue queue = client();
        Duration delay = Duration.ofSeconds(1);
        queue.send(Lane.CONTEST, "s-1", "{}");

        Delivery delivery = receive(queue);
        Instant abandonedAt = Instant.now();
        delivery.abandon(delay);
        await().atMost(ARRIVES).until(() -> queue.depth(Lane.CONTEST) == 1);

        Delivery again = receive(queue);
        assertFalse(Instant.now().isBefore(abandonedAt.plus(delay)), "came back before the delay");
        assertEquals("s-1", again.messageId());
        assertEquals(2, again.deliveryCount());
        again.complete();
    }

    @Test
    void expiredLockLetsAnotherReceiverHaveTheMessageAndLateSettlementFails() throws InterruptedException {
        SubmissionQueue first = client();
        SubmissionQueue second = client();
        first.send(Lane.INTERACTIVE, "s-1", "{}");
        Delivery held = receive(first);

        // Let part of the lock pass, so that a renewal that did nothing would show.
        Thread.sleep(1000);
        Instant renewedAt = Instant.now();
        Instant lockedUntil = held.renewLock();
        assertFalse(lockedUntil.isBefore(renewedAt.plus(LOCK_DURATION)));

        Delivery again = receive(second);
        assertFalse(Instant.now().isBefore(renewedAt.plus(LOCK_DURATION)), "came back while locked");
        assertEquals("s-1", again.messageId());
        assertEquals(2, again.deliveryCount());
        assertThrows(MessageLockLostException.class, held::complete);
        again.complete();
    }

    @Test
    void messageAbandonedOnItsLastAllowedDeliveryIsDeadLettered() {
        SubmissionQueue queue = client();
        queue.send(Lane.REGRADE, "s-1", "{\"n\":1}");

        for (int expected = 1; expected <= MAX_DELIVERY_COUNT; expected++) {
            Delivery delivery = receive(queue);
            assertEquals(expected, delivery.deliveryCount());
            delivery.abandon(Duration.ZERO);
        }

        assertNothingReceivable(queue);
        await().atMost(ARRIVES).until(() -> queue.depth(Lane.REGRADE) == 0);
        List<DeadLetter> letters = queue.deadLetters(Lane.REGRADE, 10);
        assertEquals(1, letters.size());
        DeadLetter letter = letters.getFirst();
        assertEquals("s-1", letter.messageId());
        assertEquals("{\"n\":1}", letter.body());
        assertEquals(Lane.REGRADE, letter.lane());
        assertEquals(SubmissionQueue.MAX_DELIVERY_COUNT_EXCEEDED, letter.reason());
        assertEquals(MAX_DELIVERY_COUNT, letter.deliveryCount());
    }

    @Test
    void deadLetteredMessagesKeepTheirReasonAndCanBePeekedOldestFirst() {
        SubmissionQueue queue = client();
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        queue.send(Lane.INTERACTIVE, "s-1", "{\"a\":1}");
        receive(queue).deadLetter("checker crashed");
        queue.send(Lane.INTERACTIVE, "s-2", "{}");
        receive(queue).deadLetter("source is not UTF-8");
        Instant after = Instant.now();

        assertNothingReceivable(queue);
        List<DeadLetter> letters = queue.deadLetters(Lane.INTERACTIVE, 10);
        assertEquals(
                List.of("s-1", "s-2"),
                letters.stream().map(DeadLetter::messageId).toList());
        DeadLetter first = letters.getFirst();
        assertEquals("checker crashed", first.reason());
        assertEquals("{\"a\":1}", first.body());
        assertEquals(Lane.INTERACTIVE, first.lane());
        assertEquals(1, first.deliveryCount());
        assertFalse(
                first.deadLetteredAt().isBefore(before)
                        || first.deadLetteredAt().isAfter(after),
                "dead-lettered at " + first.deadLetteredAt());
        assertEquals("source is not UTF-8", letters.get(1).reason());

        assertEquals(letters.subList(0, 1), queue.deadLetters(Lane.INTERACTIVE, 1), "peeking removes nothing");
        assertTrue(queue.deadLetters(Lane.CONTEST, 10).isEmpty());
    }

    @Test
    void aRemovedDeadLetterLeavesTheOthersInOrderAndIsNotDelivered() {
        SubmissionQueue queue = client();
        queue.send(Lane.CONTEST, "d-1", "{\"n\":1}");
        receive(queue).deadLetter("worker lost its sandbox");
        queue.send(Lane.CONTEST, "d-2", "{\"n\":2}");
        receive(queue).deadLetter("checker crashed");
        queue.send(Lane.CONTEST, "d-3", "{\"n\":3}");
        receive(queue).deadLetter("checker crashed");
        assertNothingReceivable(queue);

        assertEquals(Optional.empty(), queue.removeDeadLetter(Lane.CONTEST, "d-9"), "no such dead letter");
        assertEquals(Optional.empty(), queue.removeDeadLetter(Lane.REGRADE, "d-2"), "another lane's");
        assertEquals(Optional.empty(), queue.removeDeadLetter(Lane.CONTEST, "d-1' OR '1'='1"), "quotes match nothing");
        assertEquals(3, queue.deadLetters(Lane.CONTEST, 10).size(), "nothing removed by those");
        DeadLetter removed = queue.removeDeadLetter(Lane.CONTEST, "d-2").orElseThrow();
        assertEquals("d-2", removed.messageId());
        assertEquals("{\"n\":2}", removed.body());
        assertEquals("checker crashed", removed.reason());
        assertEquals(
                List.of("d-1", "d-3"),
                queue.deadLetters(Lane.CONTEST, 10).stream()
                        .map(DeadLetter::messageId)
                        .toList(),
                "the others stay, in order");
        assertNothingReceivable(queue);
        assertEquals(Optional.empty(), queue.removeDeadLetter(Lane.CONTEST, "d-2"), "removed once only");
    }

    @Test
    void depthCountsWaitingAndLockedMessagesOfEachLane() {
        SubmissionQueue queue = client();
        queue.send(Lane.INTERACTIVE, "i-1", "{}");
        queue.send(Lane.INTERACTIVE, "i-2", "{}");
        queue.send(Lane.REGRADE, "r-1", "{}");
        await().atMost(ARRIVES)
                .until(() -> queue.depth(Lane.INTERACTIVE) == 2
                        && queue.depth(Lane.CONTEST) == 0
                        && queue.depth(Lane.REGRADE) == 1);

        Delivery locked = receive(queue);
        assertEquals(Lane.INTERACTIVE, locked.lane());
        assertEquals(2, queue.depth(Lane.INTERACTIVE), "a locked message still counts");
        locked.complete();
        await().atMost(ARRIVES).until(() -> queue.depth(Lane.INTERACTIVE) == 1);
    }

    @Test
    void sentMessagesSurviveABrokerRestart() throws Exception {
        SubmissionQueue before = client();
        before.send(Lane.CONTEST, "poison", "{}");
        receive(before).deadLetter("crashes the checker");
        before.send(Lane.REGRADE, "s-2", "{\"b\":2}");
        before.send(Lane.INTERACTIVE, "s-1", "{\"a\":1}");
        Delivery unsettled = receive(before);
        assertEquals("s-1", unsettled.messageId());

        closeClients();
        stopBroker();
        startBroker(brokerData);
        SubmissionQueue after = client();

        Delivery first = receive(after);
        assertEquals("s-1", first.messageId());
        assertEquals("{\"a\":1}", first.body());
        assertEquals(2, first.deliveryCount(), "the delivery before the restart counts");
        first.complete();
        Delivery second = receive(after);
        assertEquals("s-2", second.messageId());
        assertEquals(1, second.deliveryCount());
        second.complete();
        assertEquals(
                "crashes the checker",
                after.deadLetters(Lane.CONTEST, 10).getFirst().reason());
    }

    @Test
    void largestAllowedBodyRoundTripsAndLargerOrUnnamedMessagesAreRejected() {
        SubmissionQueue queue = client();
        String prefix = "{\"source\":\"";
        String suffix = "\"}";
        String body = prefix + "x".repeat(SubmissionQueue.MAX_BODY_BYTES - prefix.length() - suffix.length()) + suffix;
        assertEquals(SubmissionQueue.MAX_BODY_BYTES, body.getBytes(UTF_8).length);

        queue.send(Lane.CONTEST, "big", body);
        Delivery delivery = receive(queue);
        assertEquals(body, delivery.body());
        delivery.complete();

        assertThrows(IllegalArgumentException.class, () -> queue.send(Lane.CONTEST, "bigger", body + " "));
        assertThrows(IllegalArgumentException.class, () -> queue.send(Lane.CONTEST, " ", "{}"));
    }

    @Test
    void concurrentReceiversGetEveryMessageExactlyOnce() throws Exception {
        SubmissionQueue queue = client();
        int count = 40;
        List<String> sent = IntStream.range(0, count).mapToObj(i -> "s-" + i).toList();
        for (int i = 0; i < count; i++) {
            queue.send(Lane.values()[i % Lane.values().length], sent.get(i), "{}");
        }

        Queue<String> received = new ConcurrentLinkedQueue<>();
        Instant deadline = Instant.now().plus(ARRIVES);
        try (ExecutorService workers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                running.add(workers.submit(() -> {
                    while (received.size() < count && Instant.now().isBefore(deadline)) {
                        queue.receive(Duration.ofMillis(200)).ifPresent(delivery -> {
                            received.add(delivery.messageId());
                            delivery.complete();
                        });
                    }
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        }
        assertEquals(count, received.size(), "received " + received);
        assertEquals(Set.copyOf(sent), Set.copyOf(received));
    }
}
