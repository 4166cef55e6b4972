package io.codingengine.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.GroupResult;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link SubmissionStore}: every adapter's test extends this class. Each test
 * uses fresh ids (and its own problem, contest and participant names), so one store may serve all
 * tests of a class.
 */
public abstract class SubmissionStoreContract {

    private static final AtomicLong CLOCK =
            new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

    /** The store under test; the same instance for every call of one test class is fine. */
    protected abstract SubmissionStore store();

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** A distinct, increasing creation time, so that "newest first" is well defined. */
    protected static Instant nextInstant() {
        return Instant.ofEpochMilli(CLOCK.addAndGet(1000)).plus(123_456, ChronoUnit.NANOS);
    }

    protected static Submission toProblem(String problemId, String contestId, String participant) {
        return new Submission(
                unique("s"),
                problemId,
                contestId,
                participant,
                "python",
                "3.x",
                List.of(SourceFile.utf8("main.py", "print(input())")),
                List.of(),
                null,
                nextInstant());
    }

    protected static Submission inline(String participant, String source) {
        return new Submission(
                unique("s"),
                null,
                null,
                participant,
                "python",
                null,
                List.of(SourceFile.utf8("main.py", source)),
                List.of(new TestCase("t1", "1\n", "1\n", true), new TestCase("t2", "2\n", "2\n", true)),
                new CheckerSpec.Floats(1e-6, 1e-9),
                nextInstant());
    }

    /** Creates a queued submission with inline tests and returns its id. */
    protected String createInline(String participant) {
        Submission submission = inline(participant, "print('" + participant + "')");
        assertTrue(store().create(submission));
        return submission.id();
    }

    protected static Judgement judgement(Verdict verdict, long round, int attempt, String worker) {
        return new Judgement(
                verdict,
                verdict == Verdict.AC ? 100 : 50,
                "",
                List.of(
                        new TestResult("t1", Verdict.AC, 12, 1 << 20, "1\n", "1\n", null, null, true),
                        new TestResult("t2", verdict, 15, 2 << 20, null, null, null, worker, false)),
                Instant.parse("2026-02-01T10:00:00Z"),
                worker,
                round,
                attempt);
    }

    @Test
    void createStoresAQueuedSubmissionThatGetReturns() {
        Submission submission = inline("alice", "print(1)");
        assertTrue(store().create(submission));

        SubmissionRecord record = store().get(submission.id()).orElseThrow();
        assertEquals(submission, record.submission());
        assertEquals(SubmissionStatus.QUEUED, record.status());
        assertEquals(0, record.round());
        assertEquals(0, record.attempt());
        assertNull(record.judgement());
        assertTrue(record.history().isEmpty());
        assertNotNull(record.updatedAt());
    }

    @Test
    void creatingTheSameSubmissionAgainIsANoOpButADifferentOneWithItsIdIsRefused() {
        Submission submission = toProblem(unique("p"), null, "bob");
        assertTrue(store().create(submission));
        assertFalse(store().create(submission));

        Submission impostor = new Submission(
                submission.id(),
                null,
                null,
                "mallory",
                "c",
                null,
                List.of(SourceFile.utf8("a.c", "int main(){}")),
                List.of(new TestCase("x", "", "", true)),
                null,
                nextInstant());
        assertThrows(IllegalStateException.class, () -> store().create(impostor));
        assertEquals(submission, store().get(submission.id()).orElseThrow().submission());
    }

    @Test
    void deleteRemovesOneSubmissionFromGetAndListings() {
        String participant = unique("del");
        Submission kept = inline(participant, "print('kept')");
        Submission gone = toProblem(unique("p"), unique("c"), participant);
        assertTrue(store().create(kept));
        assertTrue(store().create(gone));
        store().delete(gone);
        store().delete(gone); // again: nothing left to delete
        assertTrue(store().get(gone.id()).isEmpty());
        assertEquals(
                List.of(kept.id()),
                store().listAll(SubmissionFilter.participant(participant)).stream()
                        .map(SubmissionSummary::id)
                        .toList());
        assertTrue(store().listAll(SubmissionFilter.problem(gone.problemId())).isEmpty());
        assertTrue(store().get(kept.id()).isPresent());
    }

    /**
     * Retention: what was created before the cutoff goes, with its judgement, history and listing
     * entries. Created in 2025, before every other test's submissions, so that no other test's
     * submission is in the way of the cutoff.
     */
    @Test
    void purgeDeletesWhatWasCreatedBeforeTheCutoffAndNothingElse() {
        String problem = unique("p");
        String participant = unique("purge");
        Submission older = createdAt(problem, participant, "2025-02-01T00:00:00Z");
        Submission old = createdAt(problem, participant, "2025-03-01T00:00:00Z");
        Submission kept = createdAt(problem, participant, "2025-09-01T00:00:00Z");
        List.of(older, old, kept).forEach(s -> assertTrue(store().create(s)));
        store().complete(old.id(), judgement(Verdict.WA, 0, 1, "w"));
        store().startRegrade(old.id(), 1);
        store().complete(old.id(), judgement(Verdict.AC, 1, 1, "w"));

        assertEquals(2, store().purgeCreatedBefore(Instant.parse("2025-06-01T00:00:00Z")));
        assertTrue(store().get(older.id()).isEmpty());
        assertTrue(store().get(old.id()).isEmpty());
        assertEquals(kept, store().get(kept.id()).orElseThrow().submission());
        assertEquals(
                List.of(kept.id()),
                store().listAll(SubmissionFilter.participant(participant)).stream()
                        .map(SubmissionSummary::id)
                        .toList());
        assertEquals(
                List.of(kept.id()),
                store().listAll(SubmissionFilter.problem(problem)).stream()
                        .map(SubmissionSummary::id)
                        .toList());
        assertEquals(0, store().purgeCreatedBefore(Instant.parse("2025-06-01T00:00:00Z")), "nothing left to purge");
        assertTrue(store().create(old), "its id is free again");
    }

    private static Submission createdAt(String problem, String participant, String instant) {
        return new Submission(
                unique("s"),
                problem,
                null,
                participant,
                "python",
                "3.x",
                List.of(SourceFile.utf8("main.py", "print(input())")),
                List.of(),
                null,
                Instant.parse(instant));
    }

    @Test
    void unknownIdsAreEmptyOrNotFound() {
        assertTrue(store().get(unique("nope")).isEmpty());
        assertTrue(store().get("../etc/passwd").isEmpty());
        assertEquals(UpdateOutcome.NOT_FOUND, store().markRunning(unique("nope"), 0, 1, 3));
        assertEquals(UpdateOutcome.NOT_FOUND, store().complete(unique("nope"), judgement(Verdict.AC, 0, 1, "w")));
        assertEquals(UpdateOutcome.NOT_FOUND, store().startRegrade(unique("nope"), 1));
    }

    @Test
    void runningProgressAndCompletion() {
        String id = createInline("carol");

        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 0, 1, 2));
        assertEquals(UpdateOutcome.UNCHANGED, store().markRunning(id, 0, 1, 2));
        SubmissionRecord running = store().get(id).orElseThrow();
        assertEquals(SubmissionStatus.RUNNING, running.status());
        assertEquals(1, running.attempt());
        assertEquals(0, running.testsDone());
        assertEquals(2, running.testsTotal());

        assertEquals(UpdateOutcome.APPLIED, store().reportProgress(id, 0, 1, 1));
        assertEquals(UpdateOutcome.UNCHANGED, store().reportProgress(id, 0, 1, 1));
        assertEquals(UpdateOutcome.UNCHANGED, store().reportProgress(id, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> store().reportProgress(id, 0, 1, 3));
        assertEquals(1, store().get(id).orElseThrow().testsDone());

        Judgement judgement = judgement(Verdict.WA, 0, 1, "worker-a");
        assertEquals(UpdateOutcome.APPLIED, store().complete(id, judgement));
        SubmissionRecord done = store().get(id).orElseThrow();
        assertEquals(SubmissionStatus.DONE, done.status());
        assertEquals(judgement, done.judgement());
        assertEquals(Verdict.WA, done.summary().verdict());
        assertEquals(50, done.summary().score());

        assertEquals(UpdateOutcome.ALREADY_DONE, store().markRunning(id, 0, 2, 2));
        assertEquals(UpdateOutcome.ALREADY_DONE, store().reportProgress(id, 0, 1, 2));
    }

    @Test
    void aLaterAttemptSupersedesAnEarlierOneWhileRunning() {
        String id = createInline("dave");

        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 0, 1, 2));
        assertEquals(UpdateOutcome.APPLIED, store().reportProgress(id, 0, 1, 1));
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 0, 2, 2));
        SubmissionRecord record = store().get(id).orElseThrow();
        assertEquals(2, record.attempt());
        assertEquals(0, record.testsDone());

        assertEquals(UpdateOutcome.STALE, store().markRunning(id, 0, 1, 2));
        assertEquals(UpdateOutcome.STALE, store().reportProgress(id, 0, 1, 2));
        assertThrows(IllegalStateException.class, () -> store().reportProgress(id, 0, 3, 1));
        assertThrows(IllegalStateException.class, () -> store().markRunning(id, 1, 1, 2));
    }

    @Test
    void aSecondCompletionOfTheRoundChangesNothing() {
        String id = createInline("erin");
        store().markRunning(id, 0, 1, 2);

        Judgement first = judgement(Verdict.AC, 0, 1, "worker-a");
        assertEquals(UpdateOutcome.APPLIED, store().complete(id, first));
        // The same delivery completing again, and a redelivery that ran everything again.
        assertEquals(UpdateOutcome.ALREADY_DONE, store().complete(id, first));
        assertEquals(UpdateOutcome.ALREADY_DONE, store().complete(id, judgement(Verdict.TLE, 0, 2, "worker-b")));

        SubmissionRecord record = store().get(id).orElseThrow();
        assertEquals(first, record.judgement());
        assertEquals(1, record.attempt());
        assertTrue(record.history().isEmpty());
    }

    @Test
    void twoConcurrentCompletionsLeaveExactlyOneJudgement() throws Exception {
        for (int round = 0; round < 8; round++) {
            Submission submission = inline("frank", "print(5)");
            store().create(submission);
            String id = submission.id();
            store().markRunning(id, 0, 1, 2);
            Judgement a = judgement(Verdict.AC, 0, 1, "worker-a");
            Judgement b = judgement(Verdict.WA, 0, 2, "worker-b");

            CountDownLatch start = new CountDownLatch(1);
            try (var threads = Executors.newFixedThreadPool(2)) {
                Future<UpdateOutcome> fa = threads.submit(() -> {
                    start.await();
                    return store().complete(id, a);
                });
                Future<UpdateOutcome> fb = threads.submit(() -> {
                    start.await();
                    return store().complete(id, b);
                });
                start.countDown();
                List<UpdateOutcome> outcomes = List.of(fa.get(), fb.get());
                assertEquals(
                        1,
                        outcomes.stream()
                                .filter(o -> o == UpdateOutcome.APPLIED)
                                .count(),
                        "outcomes " + outcomes);
                assertEquals(
                        1,
                        outcomes.stream()
                                .filter(o -> o == UpdateOutcome.ALREADY_DONE)
                                .count(),
                        "outcomes " + outcomes);
                Judgement winner = fa.get() == UpdateOutcome.APPLIED ? a : b;
                SubmissionRecord record = store().get(id).orElseThrow();
                assertEquals(winner, record.judgement());
                assertEquals(winner.attempt(), record.attempt());
                assertEquals(winner.verdict(), record.summary().verdict());
            }
        }
    }

    @Test
    void regradeKeepsTheHistoryAndRefusesLateWorkOfOldRounds() {
        Submission submission = toProblem(unique("p"), unique("c"), "grace");
        store().create(submission);
        String id = submission.id();

        Judgement round0 = judgement(Verdict.WA, 0, 1, "worker-a");
        store().markRunning(id, 0, 1, 2);
        store().complete(id, round0);

        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(id, 1));
        assertEquals(UpdateOutcome.UNCHANGED, store().startRegrade(id, 1));
        SubmissionRecord queued = store().get(id).orElseThrow();
        assertEquals(SubmissionStatus.QUEUED, queued.status());
        assertEquals(1, queued.round());
        assertNull(queued.judgement());
        assertEquals(0, queued.testsTotal());
        assertEquals(List.of(round0), queued.history());
        assertNull(queued.summary().verdict());

        // A late duplicate of round 0 cannot touch round 1.
        assertEquals(UpdateOutcome.STALE, store().complete(id, judgement(Verdict.AC, 0, 2, "late")));
        assertEquals(UpdateOutcome.STALE, store().markRunning(id, 0, 3, 2));
        assertThrows(IllegalStateException.class, () -> store().complete(id, judgement(Verdict.AC, 2, 1, "early")));

        Judgement round1 = judgement(Verdict.AC, 1, 1, "worker-b");
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 1, 1, 2));
        assertEquals(UpdateOutcome.APPLIED, store().complete(id, round1));

        // A regrade of a round that never finished keeps nothing of it.
        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(id, 3));
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 3, 1, 2));
        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(id, 4));
        assertEquals(UpdateOutcome.STALE, store().startRegrade(id, 2));
        Judgement round4 = judgement(Verdict.RE, 4, 2, "worker-c");
        assertEquals(UpdateOutcome.APPLIED, store().complete(id, round4));

        SubmissionRecord record = store().get(id).orElseThrow();
        assertEquals(SubmissionStatus.DONE, record.status());
        assertEquals(4, record.round());
        assertEquals(round4, record.judgement());
        assertEquals(List.of(round0, round1), record.history());
        assertEquals(submission, record.submission());
    }

    @Test
    void listingPagesNewestFirstWithContinuationTokens() {
        String problem = unique("p");
        String contest = unique("c");
        List<Submission> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Submission submission = toProblem(problem, contest, i % 2 == 0 ? "heidi" + problem : "ivan" + problem);
            store().create(submission);
            created.add(submission);
        }
        List<String> newestFirst =
                created.reversed().stream().map(Submission::id).toList();

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String token = null;
        do {
            Page<SubmissionSummary> page = store().list(SubmissionFilter.problem(problem), 3, token);
            sizes.add(page.items().size());
            page.items().forEach(s -> seen.add(s.id()));
            token = page.continuationToken();
        } while (token != null);
        assertEquals(newestFirst, seen);
        assertEquals(List.of(3, 3, 1), sizes);

        Page<SubmissionSummary> all = store().list(SubmissionFilter.contest(contest), 100, null);
        assertEquals(
                newestFirst, all.items().stream().map(SubmissionSummary::id).toList());
        assertTrue(all.last());
        SubmissionSummary first = all.items().getLast();
        assertEquals(problem, first.problemId());
        assertEquals(contest, first.contestId());
        assertEquals("python", first.language());
        assertEquals(SubmissionStatus.QUEUED, first.status());

        List<String> heidi = store()
                .list(SubmissionFilter.participant("heidi" + problem).withProblemId(problem), 100, null)
                .items()
                .stream()
                .map(SubmissionSummary::id)
                .toList();
        assertEquals(List.of(newestFirst.get(0), newestFirst.get(2), newestFirst.get(4), newestFirst.get(6)), heidi);
        assertTrue(store().list(SubmissionFilter.participant("heidi" + problem).withProblemId(unique("p")), 10, null)
                .items()
                .isEmpty());

        // Status filters apply to the current state; paging still covers everything once.
        List<String> done = List.of(newestFirst.get(1), newestFirst.get(3), newestFirst.get(5));
        done.forEach(id -> store().complete(id, judgement(Verdict.AC, 0, 1, "w")));
        List<String> doneIds = new ArrayList<>();
        List<Integer> doneSizes = new ArrayList<>();
        token = null;
        do {
            Page<SubmissionSummary> page =
                    store().list(SubmissionFilter.problem(problem).withStatus(SubmissionStatus.DONE), 2, token);
            page.items().forEach(s -> doneIds.add(s.id()));
            doneSizes.add(page.items().size());
            token = page.continuationToken();
        } while (token != null);
        assertEquals(done, doneIds);
        assertEquals(3, doneSizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(doneSizes.stream().allMatch(size -> size <= 2), doneSizes.toString());
        assertEquals(
                4,
                store().list(SubmissionFilter.contest(contest).withStatus(SubmissionStatus.QUEUED), 100, null)
                        .items()
                        .size());

        // The unfiltered listing has them too, newest first.
        List<String> recent = store().list(SubmissionFilter.all(), 1000, null).items().stream()
                .map(SubmissionSummary::id)
                .filter(newestFirst::contains)
                .toList();
        assertEquals(newestFirst, recent);

        String foreign =
                store().list(SubmissionFilter.problem(problem), 1, null).continuationToken();
        assertNotNull(foreign);
        assertThrows(IllegalArgumentException.class, () -> store().list(SubmissionFilter.contest(contest), 1, foreign));
        assertThrows(IllegalArgumentException.class, () -> store().list(SubmissionFilter.all(), 1, "garbage!"));
        assertThrows(IllegalArgumentException.class, () -> store().list(SubmissionFilter.all(), 0, null));
    }

    @Test
    void participantsWithKeyUnsafeCharactersListCorrectly() {
        String participant = "o'brien/#?~%\u0001" + unique("x");
        Submission submission = inline(participant, "print(6)");
        store().create(submission);
        List<SubmissionSummary> items = store().list(SubmissionFilter.participant(participant), 10, null)
                .items();
        assertEquals(1, items.size());
        assertEquals(participant, items.getFirst().participant());
    }

    @Test
    void largeSourcesAndJudgementsRoundTrip() {
        String big = "# " + "x".repeat(200_000) + "\nprint(7)\n";
        Submission submission = inline("judy", big);
        store().create(submission);
        String id = submission.id();
        assertFalse(store().create(submission));

        String output = "y".repeat(100_000);
        Judgement judgement = new Judgement(
                Verdict.WA,
                0,
                "warning: ".repeat(1000),
                List.of(new TestResult("t1", Verdict.WA, 1, 1, output, "1\n", "differs at line 1", null, true)),
                Instant.parse("2026-02-02T00:00:00Z"),
                "worker-big",
                0,
                1);
        assertEquals(UpdateOutcome.APPLIED, store().complete(id, judgement));
        assertEquals(UpdateOutcome.ALREADY_DONE, store().complete(id, judgement));
        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(id, 7));

        SubmissionRecord record = store().get(id).orElseThrow();
        assertEquals(big, record.submission().files().getFirst().content());
        assertEquals(List.of(judgement), record.history());
    }

    /** Group results, tests not run and a scoring problem's score above 100 are kept as judged. */
    @Test
    void groupResultsAndTestsNotRunRoundTrip() {
        String id = createInline("grace");
        Judgement judgement = new Judgement(
                Verdict.WA,
                130,
                "",
                List.of(
                        new TestResult("t1", Verdict.WA, 3, 1 << 20, "2\n", "1\n", "differs", null, true),
                        new TestResult(
                                "t2",
                                Verdict.NR,
                                0,
                                0,
                                "",
                                "2\n",
                                "not run: an earlier rejected test decided its" + " group",
                                null,
                                true)),
                Instant.parse("2026-02-03T00:00:00Z"),
                "worker-g",
                0,
                1,
                List.of(
                        new GroupResult("secret/g1", Verdict.WA, 12.5, 50.0, 2, 1, 0, null),
                        new GroupResult("secret/g2", Verdict.NR, 0.0, null, 3, 0, 0, null),
                        new GroupResult("data", Verdict.IE, 130.0, null, 5, 1, 0, "group data scored 130")));
        assertEquals(UpdateOutcome.APPLIED, store().complete(id, judgement));
        SubmissionRecord record = store().get(id).orElseThrow();
        assertEquals(judgement, record.judgement());
        assertEquals(
                130,
                store().listAll(SubmissionFilter.participant("grace")).stream()
                        .filter(s -> s.id().equals(id))
                        .findFirst()
                        .orElseThrow()
                        .score());
        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(id, 9));
        assertEquals(List.of(judgement), store().get(id).orElseThrow().history());
    }

    /** The first judgement of a round wins whatever its attempt: a delivery that lost its lock still may. */
    @Test
    void aJudgementOfAnEarlierAttemptWinsWhileALaterAttemptRuns() {
        String id = createInline("olga");
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 0, 1, 2));
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 0, 2, 2));

        Judgement first = judgement(Verdict.AC, 0, 1, "worker-a");
        assertEquals(UpdateOutcome.APPLIED, store().complete(id, first));
        assertEquals(UpdateOutcome.ALREADY_DONE, store().complete(id, judgement(Verdict.WA, 0, 2, "worker-b")));
        assertEquals(UpdateOutcome.ALREADY_DONE, store().reportProgress(id, 0, 2, 1));

        SubmissionRecord record = store().get(id).orElseThrow();
        assertEquals(first, record.judgement());
        assertEquals(1, record.attempt(), "the attempt whose judgement won");
    }

    /** Only {@link UpdateOutcome#APPLIED} changes anything: not even the record's update time moves otherwise. */
    @Test
    void callsThatAreNotAppliedLeaveTheRecordAsItWas() {
        String id = createInline("pia");
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 0, 2, 2));
        assertEquals(UpdateOutcome.APPLIED, store().reportProgress(id, 0, 2, 1));
        SubmissionRecord running = store().get(id).orElseThrow();
        assertEquals(UpdateOutcome.UNCHANGED, store().markRunning(id, 0, 2, 2));
        assertEquals(UpdateOutcome.UNCHANGED, store().reportProgress(id, 0, 2, 1));
        assertEquals(UpdateOutcome.STALE, store().markRunning(id, 0, 1, 2));
        assertEquals(UpdateOutcome.STALE, store().reportProgress(id, 0, 1, 2));
        assertEquals(running, store().get(id).orElseThrow());

        assertEquals(UpdateOutcome.APPLIED, store().complete(id, judgement(Verdict.AC, 0, 2, "worker-a")));
        SubmissionRecord done = store().get(id).orElseThrow();
        assertEquals(UpdateOutcome.ALREADY_DONE, store().complete(id, judgement(Verdict.WA, 0, 3, "worker-b")));
        assertEquals(UpdateOutcome.ALREADY_DONE, store().markRunning(id, 0, 3, 2));
        assertEquals(done, store().get(id).orElseThrow());

        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(id, 1));
        SubmissionRecord regraded = store().get(id).orElseThrow();
        assertEquals(UpdateOutcome.UNCHANGED, store().startRegrade(id, 1));
        assertEquals(UpdateOutcome.STALE, store().complete(id, judgement(Verdict.WA, 0, 3, "late")));
        assertEquals(UpdateOutcome.STALE, store().markRunning(id, 0, 3, 2));
        assertEquals(regraded, store().get(id).orElseThrow());
    }

    /** Progress follows the rules of the other calls: known submissions, started rounds, marked attempts. */
    @Test
    void progressNeedsTheSubmissionItsRoundAndARunningAttempt() {
        assertEquals(UpdateOutcome.NOT_FOUND, store().reportProgress(unique("nope"), 0, 1, 1));
        String id = createInline("quinn");
        assertThrows(
                IllegalStateException.class, () -> store().reportProgress(id, 0, 1, 1), "queued: never marked running");
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 0, 1, 2));
        assertThrows(IllegalStateException.class, () -> store().reportProgress(id, 1, 1, 1), "round 1 never started");
        assertEquals(0, store().get(id).orElseThrow().testsDone());
    }

    @Test
    void argumentsOutsideTheirDocumentedRangesAreRefused() {
        String id = createInline("ray");
        assertThrows(IllegalArgumentException.class, () -> store().startRegrade(id, 0));
        assertThrows(IllegalArgumentException.class, () -> store().startRegrade(id, -1));
        assertThrows(IllegalArgumentException.class, () -> store().list(SubmissionFilter.all(), 1001, null));
        assertEquals(0, store().get(id).orElseThrow().round());
    }

    /**
     * A listing shows each submission as {@link SubmissionRecord#summary()} does, at every stage.
     * Creation times only to the store's precision (PostgreSQL keeps microseconds, Table Storage
     * 100 ns; the submission says nanoseconds).
     */
    @Test
    void aListingShowsWhatTheRecordSummarizes() {
        String participant = unique("sam");
        String queued = createInline(participant);
        String running = createInline(participant);
        String done = createInline(participant);
        String regraded = createInline(participant);
        store().markRunning(running, 0, 1, 2);
        store().reportProgress(running, 0, 1, 1);
        store().markRunning(done, 0, 1, 2);
        store().complete(done, judgement(Verdict.WA, 0, 1, "worker-a"));
        store().complete(regraded, judgement(Verdict.AC, 0, 1, "worker-a"));
        store().startRegrade(regraded, 1);

        List<SubmissionSummary> listed = store().listAll(SubmissionFilter.participant(participant));
        assertEquals(
                List.of(regraded, done, running, queued),
                listed.stream().map(SubmissionSummary::id).toList());
        for (SubmissionSummary summary : listed) {
            SubmissionRecord record = store().get(summary.id()).orElseThrow();
            assertTrue(
                    Duration.between(record.submission().createdAt(), summary.createdAt())
                                    .abs()
                                    .compareTo(Duration.ofMillis(1))
                            < 0,
                    summary.createdAt() + " for " + record.submission().createdAt());
            SubmissionSummary expected = record.summary();
            assertEquals(
                    new SubmissionSummary(
                            expected.id(),
                            expected.problemId(),
                            expected.contestId(),
                            expected.participant(),
                            expected.language(),
                            summary.createdAt(),
                            expected.status(),
                            expected.round(),
                            expected.verdict(),
                            expected.score(),
                            expected.testsDone(),
                            expected.testsTotal(),
                            expected.updatedAt(),
                            expected.firstFailure()),
                    summary);
        }
    }

    // ------------------------------------------------------------------------ stalled rounds

    /** A moment that every change before it is older than, and every change after it newer. */
    private static Instant between() throws InterruptedException {
        Thread.sleep(50);
        Instant cutoff = Instant.now();
        Thread.sleep(50);
        return cutoff;
    }

    /** The stalled rounds of these submissions only (the store holds other tests' rounds too). */
    private Map<String, StalledRound> stalledAmong(Instant cutoff, String... ids) {
        var wanted = Set.of(ids);
        return store().stalled(cutoff, 1000).stream()
                .filter(r -> wanted.contains(r.id()))
                .collect(Collectors.toMap(StalledRound::id, r -> r));
    }

    @Test
    void stalledRoundsAreThoseNotJudgedAndUnchangedSinceTheCutoff() throws Exception {
        String queued = createInline("stall-q");
        String running = createInline("stall-r");
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(running, 0, 2, 2));
        String done = createInline("stall-d");
        store().complete(done, judgement(Verdict.AC, 0, 1, "worker-a"));
        String regraded = createInline("stall-g");
        store().complete(regraded, judgement(Verdict.AC, 0, 1, "worker-a"));
        store().startRegrade(regraded, 7);
        Instant cutoff = between();
        String fresh = createInline("stall-f");

        var found = stalledAmong(cutoff, queued, running, done, regraded, fresh);
        assertEquals(Set.of(queued, running, regraded), found.keySet(), found.toString());
        assertEquals(
                new StalledRound(
                        queued, 0, SubmissionStatus.QUEUED, 0, found.get(queued).updatedAt()),
                found.get(queued));
        assertEquals(
                new StalledRound(
                        running,
                        0,
                        SubmissionStatus.RUNNING,
                        2,
                        found.get(running).updatedAt()),
                found.get(running));
        assertEquals(7, found.get(regraded).round(), "the current round is the one to send again");
        assertTrue(found.values().stream().allMatch(r -> r.updatedAt().isBefore(cutoff)), found.toString());
        assertEquals(
                store().get(running).orElseThrow().updatedAt(),
                found.get(running).updatedAt());

        assertEquals(UpdateOutcome.APPLIED, store().heartbeat(running, 0, 2));
        assertEquals(
                Set.of(queued, regraded),
                stalledAmong(cutoff, queued, running, regraded).keySet(),
                "a heartbeat shows the running attempt alive");
        assertEquals(1, store().stalled(cutoff, 1).size());
        assertThrows(IllegalArgumentException.class, () -> store().stalled(cutoff, 0));
        assertThrows(IllegalArgumentException.class, () -> store().stalled(cutoff, 1001));
    }

    /**
     * {@link SubmissionRecord#allTests}: the flag its round was started with, through the round's
     * whole life; round 0 never has it (its contest decides, not the store).
     */
    @Test
    void aRecordSaysWhetherItsRoundRunsEveryTest() {
        String every = createInline("rec-all");
        assertFalse(store().get(every).orElseThrow().allTests(), "round 0 of a new submission");
        store().markRunning(every, 0, 1, 2);
        store().complete(every, judgement(Verdict.WA, 0, 1, "worker-a"));
        assertFalse(store().get(every).orElseThrow().allTests(), "round 0, judged");

        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(every, 3, true));
        assertTrue(store().get(every).orElseThrow().allTests(), "queued");
        assertEquals(UpdateOutcome.UNCHANGED, store().startRegrade(every, 3, false), "the same round again");
        assertTrue(store().get(every).orElseThrow().allTests(), "a retried start keeps the round's flag");
        store().markRunning(every, 3, 1, 2);
        store().reportProgress(every, 3, 1, 1);
        assertTrue(store().get(every).orElseThrow().allTests(), "running");
        store().complete(every, judgement(Verdict.WA, 3, 1, "worker-a"));
        SubmissionRecord judged = store().get(every).orElseThrow();
        assertEquals(SubmissionStatus.DONE, judged.status());
        assertTrue(judged.allTests(), "judged: the judgement was made running every test");

        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(every, 4, false));
        SubmissionRecord lazyAgain = store().get(every).orElseThrow();
        assertFalse(lazyAgain.allTests(), "a later round asked without it");
        assertEquals(2, lazyAgain.history().size());

        String lazy = createInline("rec-lazy");
        store().complete(lazy, judgement(Verdict.WA, 0, 1, "worker-a"));
        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(lazy, 3));
        assertFalse(store().get(lazy).orElseThrow().allTests(), "a regrade that did not ask for it");
    }

    @Test
    void aStalledRoundKeepsWhetherItRunsEveryTest() throws Exception {
        String every = createInline("stall-all");
        store().complete(every, judgement(Verdict.WA, 0, 1, "worker-a"));
        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(every, 3, true));
        String lazy = createInline("stall-lazy");
        store().complete(lazy, judgement(Verdict.WA, 0, 1, "worker-a"));
        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(lazy, 3));
        String later = createInline("stall-later");
        store().complete(later, judgement(Verdict.WA, 0, 1, "worker-a"));
        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(later, 3, true));
        assertEquals(UpdateOutcome.UNCHANGED, store().startRegrade(later, 3, false), "the same round again");
        String fresh = createInline("stall-new");
        Instant cutoff = between();

        var found = stalledAmong(cutoff, every, lazy, later, fresh);
        assertEquals(Set.of(every, lazy, later, fresh), found.keySet(), found.toString());
        assertTrue(found.get(every).allTests(), found.toString());
        assertFalse(found.get(lazy).allTests(), found.toString());
        assertTrue(found.get(later).allTests(), "a retried start keeps the round's flag: " + found);
        assertFalse(found.get(fresh).allTests(), "round 0: " + found);

        // A later round asked without it runs lazily again.
        assertEquals(UpdateOutcome.APPLIED, store().startRegrade(every, 4, false));
        Instant next = between();
        assertFalse(stalledAmong(next, every).get(every).allTests());
    }

    @Test
    void aHeartbeatComesFromTheRunningAttemptAlone() {
        assertEquals(UpdateOutcome.NOT_FOUND, store().heartbeat(unique("nope"), 0, 1));
        String id = createInline("beat");
        assertEquals(UpdateOutcome.UNCHANGED, store().heartbeat(id, 0, 1), "queued: nothing runs");
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(id, 0, 2, 2));
        SubmissionRecord marked = store().get(id).orElseThrow();
        assertEquals(UpdateOutcome.STALE, store().heartbeat(id, 0, 1), "superseded by attempt 2");
        assertEquals(UpdateOutcome.UNCHANGED, store().heartbeat(id, 0, 3), "never marked running");
        assertEquals(marked, store().get(id).orElseThrow(), "refused heartbeats change nothing");
        assertEquals(UpdateOutcome.APPLIED, store().heartbeat(id, 0, 2));
        SubmissionRecord beaten = store().get(id).orElseThrow();
        assertFalse(beaten.updatedAt().isBefore(marked.updatedAt()));
        assertEquals(
                new SubmissionRecord(
                        marked.submission(),
                        marked.status(),
                        marked.round(),
                        marked.allTests(),
                        marked.attempt(),
                        marked.testsDone(),
                        marked.testsTotal(),
                        null,
                        List.of(),
                        beaten.updatedAt()),
                beaten,
                "only the time of the last change moves");
        assertThrows(IllegalStateException.class, () -> store().heartbeat(id, 1, 2), "round 1 never started");
        store().complete(id, judgement(Verdict.AC, 0, 2, "worker-a"));
        assertEquals(UpdateOutcome.ALREADY_DONE, store().heartbeat(id, 0, 2));
        store().startRegrade(id, 1);
        assertEquals(UpdateOutcome.STALE, store().heartbeat(id, 0, 2));
    }

    /** Sweepers of several api processes claim a stalled round at once: one of them sends it. */
    @Test
    void aStalledRoundIsClaimedOnceHoweverManySweepersRace() throws Exception {
        String id = createInline("claim");
        Instant cutoff = between();
        int sweepers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<UpdateOutcome> outcomes;
        try (var threads = Executors.newFixedThreadPool(sweepers)) {
            List<Future<UpdateOutcome>> claims = new ArrayList<>();
            for (int i = 0; i < sweepers; i++) {
                claims.add(threads.submit(() -> {
                    start.await();
                    return store().claimStalled(id, 0, cutoff);
                }));
            }
            start.countDown();
            outcomes = new ArrayList<>();
            for (Future<UpdateOutcome> claim : claims) {
                outcomes.add(claim.get());
            }
        }
        assertEquals(
                1, outcomes.stream().filter(o -> o == UpdateOutcome.APPLIED).count(), outcomes.toString());
        assertEquals(
                sweepers - 1,
                outcomes.stream().filter(o -> o == UpdateOutcome.UNCHANGED).count(),
                outcomes.toString());
        assertEquals(
                UpdateOutcome.UNCHANGED,
                store().claimStalled(id, 0, cutoff),
                "claimed: not stalled until the next cutoff");
        assertTrue(stalledAmong(cutoff, id).isEmpty());
        SubmissionRecord claimed = store().get(id).orElseThrow();
        assertEquals(SubmissionStatus.QUEUED, claimed.status(), "a claim changes nothing but the time");
        assertEquals(0, claimed.attempt());

        Instant later = between();
        assertEquals(Set.of(id), stalledAmong(later, id).keySet(), "stalled again once as long has passed");
        assertEquals(UpdateOutcome.APPLIED, store().claimStalled(id, 0, later));
    }

    @Test
    void aClaimOfARoundThatMovedOnIsRefused() throws Exception {
        assertEquals(UpdateOutcome.NOT_FOUND, store().claimStalled(unique("nope"), 0, Instant.now()));
        String running = createInline("moved-r");
        String done = createInline("moved-d");
        String regraded = createInline("moved-g");
        store().complete(done, judgement(Verdict.AC, 0, 1, "worker-a"));
        store().complete(regraded, judgement(Verdict.AC, 0, 1, "worker-a"));
        Instant cutoff = between();
        assertEquals(UpdateOutcome.APPLIED, store().markRunning(running, 0, 1, 2));
        assertEquals(UpdateOutcome.UNCHANGED, store().claimStalled(running, 0, cutoff), "a worker took it since");
        assertEquals(UpdateOutcome.ALREADY_DONE, store().claimStalled(done, 0, cutoff));
        store().startRegrade(regraded, 1);
        assertEquals(UpdateOutcome.STALE, store().claimStalled(regraded, 0, cutoff));
        assertThrows(
                IllegalStateException.class, () -> store().claimStalled(regraded, 2, cutoff), "round 2 never started");
    }
}
