package io.codingengine.common.queue;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The contract against an embedded broker over TCP, plus what only Artemis can show here. */
class ArtemisSubmissionQueueTest extends SubmissionQueueContract {

    private static final ArtemisSubmissionQueue.Settings SETTINGS = new ArtemisSubmissionQueue.Settings(
            MAX_DELIVERY_COUNT, LOCK_DURATION, Duration.ofMillis(50), Duration.ofSeconds(10));

    private EmbeddedArtemisBroker broker;
    private Path dataDir;

    @Override
    protected void startBroker(Path dataDir) {
        this.dataDir = dataDir;
        broker = EmbeddedArtemisBroker.start(dataDir, 0);
    }

    @Override
    protected void stopBroker() {
        broker.stop();
    }

    @Override
    protected SubmissionQueue connect() {
        return ArtemisSubmissionQueue.connect(broker.url(), SETTINGS);
    }

    /**
     * A window-0 consumer that gave up its receive can still be granted the next message (the
     * grant and its withdrawal race the message): it then sat in the channel of whatever held it,
     * here a judging's delivery, unseen until that delivery was settled. It now goes back to its
     * lane within a poll interval, counted as no delivery, and the judging's own message stays
     * acknowledged in its channel's transaction.
     */
    @Test
    void aMessagePushedIntoAChannelNobodyReceivesOnGoesBackToItsLane() {
        ArtemisSubmissionQueue queue = (ArtemisSubmissionQueue) client();
        queue.send(Lane.CONTEST, "judging", "{}");
        ArtemisDelivery judging = (ArtemisDelivery) receive(queue);
        judging.channel().grantWithoutReceive(Lane.INTERACTIVE);
        queue.send(Lane.INTERACTIVE, "execute", "{}");

        Delivery execute = queue.receive(List.of(Lane.INTERACTIVE), Duration.ofSeconds(5))
                .orElseThrow(() -> new AssertionError("the execute stayed in the judging's channel"));
        assertEquals("execute", execute.messageId());
        assertEquals(1, execute.deliveryCount());
        execute.complete();
        judging.complete();
        assertNothingReceivable(queue);
        assertEquals(1, queue.consumersReplaced());
    }

    /**
     * A channel whose consumer of one lane holds a pushed message, borrowed over and over by a
     * slot that receives from another lane only (the slot kept for interactive work), was never
     * idle when the periodic look came: the message stayed there, received by nobody, for as long
     * as that slot kept receiving. A receive now gives it back as it borrows the channel, since the
     * receive does not take from that lane.
     */
    @Test
    void aMessagePushedIntoAChannelThatOneLaneKeepsBorrowingGoesBackToItsLane() throws Exception {
        ArtemisSubmissionQueue queue = (ArtemisSubmissionQueue) client();
        queue.send(Lane.INTERACTIVE, "first", "{}");
        ArtemisDelivery first = (ArtemisDelivery) receive(queue);
        first.channel().grantWithoutReceive(Lane.CONTEST);
        first.complete(); // its channel is the one the next receive borrows
        AtomicBoolean running = new AtomicBoolean(true);
        Thread interactiveSlot = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                queue.receive(List.of(Lane.INTERACTIVE), Duration.ofMillis(200)).ifPresent(Delivery::complete);
            }
        });
        try {
            Thread.sleep(300);
            queue.send(Lane.CONTEST, "judging", "{}");
            Delivery judging = queue.receive(List.of(Lane.CONTEST), Duration.ofSeconds(5))
                    .orElseThrow(() -> new AssertionError("the judging stayed in the interactive slot's channel"));
            assertEquals("judging", judging.messageId());
            assertEquals(1, judging.deliveryCount());
            judging.complete();
        } finally {
            running.set(false);
            interactiveSlot.join();
        }
    }

    /**
     * A receive that made the broker force a delivery and got a message leaves the broker's
     * "nothing more" marker in the consumer; taking it for an unreceived message replaced a
     * consumer (two calls to the broker) after nearly every receive.
     */
    @Test
    void receivingWhatIsSentReplacesNoConsumer() throws Exception {
        ArtemisSubmissionQueue queue = (ArtemisSubmissionQueue) client();
        for (int i = 0; i < 10; i++) {
            queue.send(i % 2 == 0 ? Lane.CONTEST : Lane.INTERACTIVE, "m" + i, "{}");
        }
        Delivery held = queue.receive(Lane.SERVED_ORDER, ARRIVES).orElseThrow();
        for (int i = 1; i < 10; i++) {
            queue.receive(Lane.SERVED_ORDER, ARRIVES).orElseThrow().complete();
        }
        Thread.sleep(SETTINGS.pollInterval().multipliedBy(10));
        held.complete();
        assertNothingReceivable(queue);
        assertEquals(0, queue.consumersReplaced());
    }

    @Test
    void messageHeldByAKilledConsumerProcessGoesToTheNextConsumer() throws Exception {
        SubmissionQueue queue = client();
        queue.send(Lane.CONTEST, "s-crash", "{}");

        Process worker = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHoldingConsumer.class.getName(),
                        broker.url())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            assertEquals("received s-crash 1", firstLine(worker));
            assertNothingReceivable(queue);

            worker.destroyForcibly();
            assertTrue(worker.waitFor(ARRIVES.toSeconds(), TimeUnit.SECONDS));
            assertEquals(128 + 9, worker.exitValue(), "killed by SIGKILL");

            Delivery again = receive(queue);
            assertEquals("s-crash", again.messageId());
            assertEquals(2, again.deliveryCount());
            again.complete();
        } finally {
            worker.destroyForcibly();
        }
    }

    @Test
    void lockThatExpiresOnTheLastAllowedDeliveryDeadLettersTheMessage() {
        SubmissionQueue queue = ArtemisSubmissionQueue.connect(
                broker.inVmUrl(),
                new ArtemisSubmissionQueue.Settings(
                        1, Duration.ofMillis(500), Duration.ofMillis(50), Duration.ofSeconds(10)));
        try (queue) {
            queue.send(Lane.REGRADE, "s-1", "{}");
            assertEquals(1, receive(queue).deliveryCount());

            List<DeadLetter> letters = await().atMost(ARRIVES)
                    .until(
                            () -> {
                                assertNothingReceivable(queue);
                                return queue.deadLetters(Lane.REGRADE, 10);
                            },
                            hasSize(1));
            assertEquals(
                    SubmissionQueue.MAX_DELIVERY_COUNT_EXCEEDED,
                    letters.getFirst().reason());
            assertEquals(1, letters.getFirst().deliveryCount());
        }
    }

    @Test
    void clientReconnectsWhenTheBrokerComesBackOnItsPort() {
        SubmissionQueue queue = client();
        queue.send(Lane.INTERACTIVE, "s-1", "{}");
        restartBrokerOnItsPort();

        Delivery delivery = receiveAfterReconnecting(queue);
        assertEquals("s-1", delivery.messageId());
        delivery.complete();
        queue.send(Lane.CONTEST, "s-2", "{}");
        receive(queue).complete();
    }

    @Test
    void idleConsumersServeWhatIsSentAfterABrokerRestartOnceAndPromptly() throws Exception {
        SubmissionQueue queue = client();
        // Five deliveries held at once leave five channels in the pool, more than the consumers
        // below keep busy, as a worker has after a busy moment.
        for (int i = 0; i < 5; i++) {
            queue.send(Lane.CONTEST, "warm-" + i, "{}");
        }
        List<Delivery> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(receive(queue));
        }
        held.forEach(Delivery::complete);

        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        Set<String> completed = ConcurrentHashMap.newKeySet();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<List<Lane>> orders =
                List.of(List.of(Lane.INTERACTIVE), List.of(Lane.CONTEST, Lane.REGRADE), Lane.SERVED_ORDER);
        List<Thread> consumers = new ArrayList<>();
        for (List<Lane> order : orders) {
            consumers.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        queue.receive(order, Duration.ofSeconds(1)).ifPresent(delivery -> {
                            deliveries.merge(delivery.messageId(), 1, Integer::sum);
                            try {
                                delivery.complete();
                                completed.add(delivery.messageId());
                            } catch (RuntimeException e) {
                                failures.add(delivery.messageId() + ": " + e);
                            }
                        });
                    } catch (QueueException whileReconnecting) {
                        // as QueueConsumer does: try again
                    }
                }
            }));
        }
        try {
            restartBrokerOnItsPort();
            // The consumers go on idling through the reconnection before anything is sent.
            Thread.sleep(3000);
            await().atMost(ARRIVES)
                    .ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> {
                        queue.send(Lane.CONTEST, "judge-1", "{}");
                        return true;
                    });
            queue.sendTransient(Lane.INTERACTIVE, "execute-1", "{}");

            await().atMost(ARRIVES).until(() -> completed.containsAll(List.of("judge-1", "execute-1")));
            // A second delivery of either would come within a poll or two; give it time to show.
            Thread.sleep(2000);
            assertEquals(Map.of("judge-1", 1, "execute-1", 1), deliveries, "deliveries; failures " + failures);
            assertEquals(List.of(), failures);
        } finally {
            running.set(false);
            for (Thread consumer : consumers) {
                consumer.join();
            }
        }
    }

    /**
     * Each look at a lane the receive does not wait on is a forced delivery, several packets for
     * the broker: idle workers looking ten times a second kept the broker busy in proportion to
     * their number. A client that received nothing for {@code idleAfter} looks only as each receive
     * begins at a lane another of its receives waits on (that one gets the lane's work at once) or
     * that no person waits for (regrades); a lane nobody waits on is still looked at every poll
     * interval, so its work does not wait a whole receive.
     */
    @Test
    void anIdleClientAsksTheBrokerLessWhileEveryLaneIsStillServed() throws Exception {
        Duration idleAfter = Duration.ofMillis(1500);
        AtomicLong packets = new AtomicLong();
        broker.addIncomingInterceptor((packet, connection) -> {
            packets.incrementAndGet();
            return true;
        });
        try (SubmissionQueue queue = ArtemisSubmissionQueue.connect(
                broker.url(),
                new ArtemisSubmissionQueue.Settings(
                        MAX_DELIVERY_COUNT, LOCK_DURATION, Duration.ofMillis(50), idleAfter))) {
            servesEveryLaneAskingLessWhenIdle(queue, packets, idleAfter);
        }
    }

    private static void servesEveryLaneAskingLessWhenIdle(SubmissionQueue queue, AtomicLong packets, Duration idleAfter)
            throws Exception {
        Duration call = Duration.ofMillis(1000);
        // As a worker's judging slot that may not take interactive work: it waits on the contest lane.
        List<String> judged = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread contestSlot = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                queue.receive(List.of(Lane.CONTEST, Lane.REGRADE), call).ifPresent(delivery -> {
                    delivery.complete();
                    judged.add(delivery.messageId());
                });
            }
        });
        try {
            queue.send(Lane.CONTEST, "busy", "{}");
            await().atMost(ARRIVES).until(() -> judged.contains("busy"));
            long before = packets.get();
            assertTrue(queue.receive(Lane.SERVED_ORDER, call).isEmpty());
            long busy = packets.get() - before;
            // Every receive that began busy has ended.
            Thread.sleep(idleAfter.plus(call).toMillis());
            before = packets.get();
            assertTrue(queue.receive(Lane.SERVED_ORDER, call).isEmpty());
            long idle = packets.get() - before;
            before = packets.get();
            assertTrue(queue.receive(List.of(Lane.INTERACTIVE), call).isEmpty());
            long oneLane = packets.get() - before;
            assertTrue(idle * 4 < busy, "idle receives asked " + idle + " times in a second, busy ones " + busy);
            // One lane, nothing else to look at: one wait for the whole call, never slices of it.
            assertTrue(oneLane < idle, "with a receive from one lane " + oneLane + ", from three " + idle);

            // Still idle: the lane waited on is served at once, a regrade by the next receive.
            assertReceivedSoonAfterSending(queue, Lane.SERVED_ORDER, Lane.INTERACTIVE, "run");
            Thread.sleep(idleAfter.plus(call).toMillis());
            queue.send(Lane.REGRADE, "regrade", "{}");
            long sent = System.nanoTime();
            await().atMost(ARRIVES).until(() -> judged.contains("regrade"));
            assertTrue(
                    Duration.ofNanos(System.nanoTime() - sent).compareTo(call.multipliedBy(2)) < 0,
                    "the regrade waited");
        } finally {
            running.set(false);
            contestSlot.join();
        }

        // Nobody waits on the contest lane now (its slot is busy, or there is none): an idle receive
        // waiting on the interactive lane looks at it every poll interval, not once per receive.
        Thread.sleep(idleAfter.plus(call).toMillis());
        assertReceivedSoonAfterSending(queue, List.of(Lane.INTERACTIVE, Lane.CONTEST), Lane.CONTEST, "judging");
    }

    /** A receive from {@code order} under way gets a message sent to {@code lane} within 0.9 s. */
    private static void assertReceivedSoonAfterSending(SubmissionQueue queue, List<Lane> order, Lane lane, String id)
            throws Exception {
        CompletableFuture<Optional<Delivery>> waiting =
                CompletableFuture.supplyAsync(() -> queue.receive(order, Duration.ofSeconds(10)));
        Thread.sleep(300);
        long sent = System.nanoTime();
        queue.send(lane, id, "{}");
        Delivery delivery = waiting.get(15, TimeUnit.SECONDS).orElseThrow();
        assertEquals(id, delivery.messageId());
        delivery.complete();
        Duration waited = Duration.ofNanos(System.nanoTime() - sent);
        assertTrue(waited.compareTo(Duration.ofMillis(900)) < 0, id + " waited " + waited);
    }

    @Test
    void aTransientMessageDoesNotOutliveABrokerRestartWhereADurableOneDoes() {
        SubmissionQueue queue = client();
        queue.sendTransient(Lane.INTERACTIVE, "e-abandoned", "{}");
        queue.sendTransient(Lane.INTERACTIVE, "e-waiting", "{}");
        queue.send(Lane.INTERACTIVE, "s-durable", "{}");
        Delivery abandoned = receive(queue);
        assertEquals("e-abandoned", abandoned.messageId());
        // its redelivery copy stays transient
        abandoned.abandon(Duration.ZERO);
        restartBrokerOnItsPort();

        Delivery delivery = receiveAfterReconnecting(queue);
        assertEquals("s-durable", delivery.messageId());
        delivery.complete();
        assertNothingReceivable(queue);
    }

    private void restartBrokerOnItsPort() {
        int port = URI.create(broker.url()).getPort();
        broker.stop();
        broker = EmbeddedArtemisBroker.start(dataDir, port);
    }

    /** Calls made while the client is still reconnecting may fail; the client itself recovers. */
    private static Delivery receiveAfterReconnecting(SubmissionQueue queue) {
        return await().atMost(ARRIVES)
                .ignoreExceptionsInstanceOf(QueueException.class)
                .until(() -> queue.receive(NOTHING), Optional::isPresent)
                .orElseThrow();
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .get(ARRIVES.toSeconds(), TimeUnit.SECONDS);
    }
}
