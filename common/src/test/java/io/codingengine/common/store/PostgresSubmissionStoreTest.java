package io.codingengine.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.Verdict;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SubmissionStoreContract} against {@link PostgresSubmissionStore} on a real PostgreSQL. */
class PostgresSubmissionStoreTest extends SubmissionStoreContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    private static PostgresSubmissionStore store;
    /** Another process's store: its own pool on the same database. */
    private static PostgresSubmissionStore other;

    @BeforeAll
    static void connect() {
        store = new PostgresSubmissionStore(POSTGRES.dataSource());
        other = new PostgresSubmissionStore(POSTGRES.database().dataSource());
    }

    @Override
    protected SubmissionStore store() {
        return store;
    }

    /**
     * Two completions and two regrades of one submission at once, from two processes: one regrade
     * opens round 1, and a judgement of round 0 is in the history exactly when it came first.
     */
    @Test
    void completionsAndRegradesRacingFromTwoProcessesLandInOneRoundEach() throws Exception {
        for (int i = 0; i < 5; i++) {
            String id = createInline("race");
            store.markRunning(id, 0, 1, 2);
            Judgement a = judgement(Verdict.AC, 0, 1, "worker-a");
            Judgement b = judgement(Verdict.WA, 0, 2, "worker-b");
            Map<String, UpdateOutcome> outcomes = race(Map.of(
                    "complete a", () -> store.complete(id, a),
                    "complete b", () -> other.complete(id, b),
                    "regrade here", () -> store.startRegrade(id, 1),
                    "regrade there", () -> other.startRegrade(id, 1)));

            assertEquals(
                    List.of(UpdateOutcome.APPLIED, UpdateOutcome.UNCHANGED),
                    List.of(outcomes.get("regrade here"), outcomes.get("regrade there")).stream()
                            .sorted()
                            .toList(),
                    outcomes.toString());
            SubmissionRecord record = other.get(id).orElseThrow();
            assertEquals(1, record.round());
            assertEquals(SubmissionStatus.QUEUED, record.status());
            assertNull(record.judgement());
            List<Judgement> won = outcomes.get("complete a") == UpdateOutcome.APPLIED
                    ? List.of(a)
                    : outcomes.get("complete b") == UpdateOutcome.APPLIED ? List.of(b) : List.of();
            assertEquals(won, record.history(), outcomes.toString());
            assertTrue(
                    outcomes.get("complete a") != UpdateOutcome.APPLIED
                            || outcomes.get("complete b") != UpdateOutcome.APPLIED,
                    outcomes.toString());
        }
    }

    @Test
    void aTokenOfTheSameParticipantWithAnotherStatusIsRefused() {
        String participant = unique("tok");
        createInline(participant);
        createInline(participant);
        String token =
                store.list(SubmissionFilter.participant(participant), 1, null).continuationToken();
        assertThrows(
                IllegalArgumentException.class,
                () -> store.list(
                        SubmissionFilter.participant(participant).withStatus(SubmissionStatus.QUEUED), 1, token));
        assertEquals(
                1,
                store.list(SubmissionFilter.participant(participant), 1, token)
                        .items()
                        .size());
    }

    /** Runs the calls at once, each on its own thread; their outcomes by name. */
    private static Map<String, UpdateOutcome> race(Map<String, Supplier<UpdateOutcome>> calls) throws Exception {
        Map<String, UpdateOutcome> outcomes = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        try (var threads = Executors.newFixedThreadPool(calls.size())) {
            List<Future<?>> futures = calls.entrySet().stream()
                    .map(call -> threads.submit(() -> {
                        start.await();
                        return outcomes.put(call.getKey(), call.getValue().get());
                    }))
                    .<Future<?>>map(f -> f)
                    .toList();
            start.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        return outcomes;
    }
}
