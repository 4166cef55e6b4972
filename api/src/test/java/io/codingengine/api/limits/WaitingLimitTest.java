package io.codingengine.api.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.store.AzuriteExtension;
import io.codingengine.common.store.SubmissionFilter;
import io.codingengine.common.store.TableSubmissionStore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The waiting limit ({@code max-waiting}) on a real Azurite, as two api processes apply it: two
 * limits, each with its own store client, share nothing but the storage account.
 */
@ExtendWith(AzuriteExtension.class)
class WaitingLimitTest {

    private static final int MAX_WAITING = 2;
    private static final String PREFIX = "wl" + UUID.randomUUID().toString().substring(0, 8);
    private static Api first;
    private static Api second;

    /** One api process's view: its own store client and limit. */
    private record Api(TableSubmissionStore store, WaitingLimit limit) {

        static Api start() {
            TableSubmissionStore store =
                    TableSubmissionStore.fromConnectionString(AzuriteExtension.connectionString(), PREFIX);
            return new Api(store, new WaitingLimit(store, MAX_WAITING));
        }

        /** What the submission endpoints do: store, then hold the waiting limit; true when admitted. */
        boolean submit(Submission s) {
            store.create(s);
            try {
                limit.hold(List.of(s));
                return true;
            } catch (LimitExceededException e) {
                assertEquals(429, e.status());
                return false;
            }
        }
    }

    @BeforeAll
    static void start() {
        first = Api.start();
        second = Api.start();
    }

    @Test
    void oneAfterAnotherTheLimitAdmitsExactlyMaxWaitingAndARefusedOneIsGone() {
        String participant = "seq-" + UUID.randomUUID();
        Submission a = submission(participant);
        assertTrue(first.submit(a));
        assertTrue(second.submit(submission(participant)));
        Submission refused = submission(participant);
        assertThrows(LimitExceededException.class, () -> {
            first.store().create(refused);
            first.limit().hold(List.of(refused));
        });
        assertTrue(first.store().get(refused.id()).isEmpty(), "a refused submission is deleted again");
        assertEquals(MAX_WAITING, waiting(participant));
        first.store().complete(a.id(), new Judgement(Verdict.AC, 100, "", List.of(), Instant.now(), "w", 0, 1));
        assertTrue(second.submit(submission(participant)), "a verdict frees a place");
    }

    /**
     * Each round leaves one place and races two submissions for it through the two apis: never
     * are both admitted, and every refused one is deleted, so the participant never has more
     * than {@code max-waiting} submissions waiting. (Truly simultaneous racers usually both
     * lose: each sees the other before it is deleted. That is the price of never overshooting;
     * the sequential test shows the place is given when nobody races for it.)
     */
    @Test
    void twoApisRacingForTheLastPlaceNeverBothGetIt() throws Exception {
        int rounds = 15;
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < rounds; round++) {
                String participant = "race-" + round + "-" + UUID.randomUUID();
                assertTrue(first.submit(submission(participant)));
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> racers = List.of(first, second).stream()
                        .map(api -> threads.submit(() -> {
                            Submission s = submission(participant);
                            start.await();
                            return api.submit(s);
                        }))
                        .toList();
                int admitted = 0;
                for (Future<Boolean> racer : racers) {
                    admitted += racer.get() ? 1 : 0;
                }
                assertTrue(admitted <= 1, "round " + round + ": both racing submissions were admitted");
                assertEquals(
                        1 + admitted, waiting(participant), "round " + round + ": refused submissions are deleted");
            }
        }
    }

    private static int waiting(String participant) {
        return first.store().listAll(SubmissionFilter.participant(participant)).size();
    }

    private static Submission submission(String participant) {
        return new Submission(
                UUID.randomUUID().toString(),
                null,
                null,
                participant,
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(1)")),
                List.of(new TestCase("t", "", "1\n", true)),
                null,
                Instant.now());
    }
}
