package io.codingengine.api.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.api.TestBroker;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.pipeline.WorkItem;
import io.codingengine.common.queue.ArtemisSubmissionQueue;
import io.codingengine.common.queue.Delivery;
import io.codingengine.common.queue.EmbeddedArtemisBroker;
import io.codingengine.common.queue.Lane;
import io.codingengine.common.store.PostgresExtension;
import io.codingengine.common.store.PostgresSubmissionStore;
import io.codingengine.common.store.StalledRound;
import io.codingengine.common.store.UpdateOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweeper of two api processes (each with its own pool on one PostgreSQL) against a real
 * broker: every stalled round is sent once, on its lane, counting on from its attempts, and
 * nothing that moves is sent.
 */
class SweeperTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final Duration STUCK_AFTER = Duration.ofSeconds(1);

    @TempDir
    static Path dir;

    private static EmbeddedArtemisBroker broker;
    private static ArtemisSubmissionQueue queue;
    private static PostgresSubmissionStore store;
    private static PostgresSubmissionStore otherProcess;

    @BeforeAll
    static void start() {
        broker = TestBroker.start(dir.resolve("broker"));
        queue = ArtemisSubmissionQueue.connect(broker.url());
        store = new PostgresSubmissionStore(POSTGRES.dataSource());
        otherProcess = new PostgresSubmissionStore(POSTGRES.database().dataSource());
    }

    @AfterAll
    static void stop() {
        queue.close();
        broker.stop();
    }

    private static String create() {
        Submission s = new Submission(
                "sw-" + UUID.randomUUID(),
                null,
                null,
                "sweeper-test",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(1)")),
                List.of(new TestCase("t", "", "1\n", true)),
                null,
                Instant.now());
        assertTrue(store.create(s));
        return s.id();
    }

    private static Judgement judged(long round) {
        return new Judgement(Verdict.AC, 100, null, List.of(), Instant.now(), "w", round, 1);
    }

    @Test
    void everyStalledRoundIsSentOnceHoweverManyApiProcessesSweep() throws Exception {
        List<String> neverQueued = List.of(create(), create(), create());
        String workerGone = create();
        store.markRunning(workerGone, 0, 2, 1);
        String regradeNeverQueued = create();
        store.complete(regradeNeverQueued, judged(0));
        store.startRegrade(regradeNeverQueued, 7);
        String judged = create();
        store.complete(judged, judged(0));
        String alive = create();
        store.markRunning(alive, 0, 1, 1);
        Thread.sleep(STUCK_AFTER.plusMillis(300));
        assertEquals(UpdateOutcome.APPLIED, store.heartbeat(alive, 0, 1), "its worker is alive");

        Sweeper here = new Sweeper(store, queue, STUCK_AFTER, Clock.systemUTC(), id -> false, id -> false);
        Sweeper there = new Sweeper(otherProcess, queue, STUCK_AFTER, Clock.systemUTC(), id -> false, id -> false);
        List<StalledRound> sent = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (var threads = Executors.newFixedThreadPool(2)) {
            List<Future<List<StalledRound>>> sweeps = List.of(
                    threads.submit(() -> {
                        start.await();
                        return here.sweep();
                    }),
                    threads.submit(() -> {
                        start.await();
                        return there.sweep();
                    }));
            start.countDown();
            for (Future<List<StalledRound>> sweep : sweeps) {
                sent.addAll(sweep.get());
            }
        }
        sent.addAll(here.sweep());
        sent.addAll(there.sweep());

        List<String> expected = new ArrayList<>(neverQueued);
        expected.addAll(List.of(workerGone, regradeNeverQueued));
        assertEquals(
                expected.stream().sorted().toList(),
                sent.stream()
                        .map(StalledRound::id)
                        .filter(expected::contains)
                        .sorted()
                        .toList(),
                "each once: " + sent);
        Map<String, Delivery> messages = receiveAll();
        assertEquals(
                expected.stream().sorted().toList(),
                messages.keySet().stream().filter(expected::contains).sorted().toList(),
                "one message each on the queue: " + messages.keySet());
        for (String id : neverQueued) {
            assertMessage(messages.get(id), Lane.CONTEST, new WorkItem.Judge(id, 0, null, 0));
        }
        assertMessage(messages.get(workerGone), Lane.CONTEST, new WorkItem.Judge(workerGone, 0, null, 2));
        assertMessage(
                messages.get(regradeNeverQueued), Lane.REGRADE, new WorkItem.Judge(regradeNeverQueued, 7, null, 0));
        assertTrue(
                !messages.containsKey(judged) && !messages.containsKey(alive),
                messages.keySet().toString());
        messages.values().forEach(Delivery::complete);

        // Not judged after all (its message was lost again): sent again once it has stalled as long once more.
        Thread.sleep(STUCK_AFTER.plusMillis(300));
        assertTrue(here.sweep().stream().anyMatch(r -> r.id().equals(workerGone)));
        receiveAll().values().forEach(Delivery::complete);
    }

    /**
     * A regrade asked with {@code allTests=true} (run every test, no lazy judging) is sent again
     * with it, one asked without it without, and a first judging with it when its contest scores
     * POINTS.
     */
    @Test
    void aStalledRoundIsSentAgainTheWayItWasAsked() throws Exception {
        String regradeAll = create();
        store.complete(regradeAll, judged(0));
        assertEquals(UpdateOutcome.APPLIED, store.startRegrade(regradeAll, 5, true));
        String regradeLazy = create();
        store.complete(regradeLazy, judged(0));
        assertEquals(UpdateOutcome.APPLIED, store.startRegrade(regradeLazy, 5, false));
        String points = create();
        String plain = create();
        Thread.sleep(STUCK_AFTER.plusMillis(300));

        Sweeper sweeper = new Sweeper(store, queue, STUCK_AFTER, Clock.systemUTC(), points::equals, id -> false);
        List<String> sent = sweeper.sweep().stream().map(StalledRound::id).toList();
        List<String> ours = List.of(regradeAll, regradeLazy, points, plain);
        assertTrue(sent.containsAll(ours), sent.toString());
        Map<String, Delivery> messages = receiveAll();
        assertMessage(messages.get(regradeAll), Lane.REGRADE, new WorkItem.Judge(regradeAll, 5, null, 0, true));
        assertMessage(messages.get(regradeLazy), Lane.REGRADE, new WorkItem.Judge(regradeLazy, 5, null, 0, false));
        assertMessage(messages.get(points), Lane.CONTEST, new WorkItem.Judge(points, 0, null, 0, true));
        assertMessage(messages.get(plain), Lane.CONTEST, new WorkItem.Judge(plain, 0, null, 0, false));
        messages.values().forEach(Delivery::complete);
        store.complete(regradeAll, judged(5));
        store.complete(regradeLazy, judged(5));
        store.complete(points, judged(0));
        store.complete(plain, judged(0));
    }

    private static void assertMessage(Delivery delivery, Lane lane, WorkItem.Judge expected) {
        assertEquals(lane, delivery.lane(), delivery.messageId());
        assertEquals(expected.submissionId() + "-" + expected.round(), delivery.messageId());
        assertEquals(expected, WorkItem.fromJson(delivery.body()));
    }

    /** Every message on the lanes now, by submission id, locked (not settled). */
    private static Map<String, Delivery> receiveAll() {
        Map<String, Delivery> all = new HashMap<>();
        Optional<Delivery> next;
        while ((next = queue.receive(Duration.ofMillis(500))).isPresent()) {
            WorkItem.Judge item = (WorkItem.Judge) WorkItem.fromJson(next.get().body());
            Delivery previous = all.put(item.submissionId(), next.get());
            assertEquals(null, previous, "a second message of " + item.submissionId());
        }
        return all;
    }
}
