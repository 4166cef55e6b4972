package io.codingengine.worker.judge;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.ExecutorBusyException;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.MDC;

/**
 * One judging under way ({@link Judge#judge}): its lanes share the outcomes, the time spent and the
 * first failures. Its tests run in contiguous lanes, each a series of executor calls cut to the
 * lane's heap and time shares ({@link Judge.Plan}); {@link Judge} turns what it found into the
 * judgement.
 */
final class Judging {

    /** What a judging keeps of one test: no more than its result needs, and its validator's score files. */
    record Outcome(
            Verdict verdict,
            StageResult run,
            String shown,
            String message,
            String judgeMessage,
            Double score,
            Double scoreMultiplier) {}

    private final Executor executor;
    private final CustomChecker custom;
    private final InteractionJudging interactions;
    private final Submission submission;
    private final List<TestCase> tests;
    private final CheckerSpec checker;
    private final Judge.Plan plan;
    private final int shownPerTest;
    final Outcome[] outcomes;
    final AtomicLong wallTimeMs = new AtomicLong();
    /** The most wall time the calls under way may still take (their tests' worst cases). */
    private final AtomicLong reservedMs = new AtomicLong();
    /** Held while a lane decides its next call and reserves its time, or gives it back. */
    private final ReentrantLock reserving = new ReentrantLock();
    /** Signalled when a call ends and gives its reservation back. */
    private final Condition released = reserving.newCondition();

    final Set<String> sessions = Collections.synchronizedSet(new LinkedHashSet<>());
    /** The call that ran the first test: its compile stage is the judgement's. */
    final AtomicReference<ExecutionResult> first = new AtomicReference<>();

    final AtomicReference<ExecutionResult> failedCompile = new AtomicReference<>();
    final AtomicReference<String> checkerFailure = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Grading grading;
    /** Whether tests a rejection already decided are skipped ({@code on_reject: break}). */
    final boolean lazy;
    /** Tests skipped: never run, as a rejection had decided them. Guarded by {@link #reserving}. */
    final boolean[] skipped;
    /** The outcomes known so far, for {@link Grading#notNeeded}. Guarded by {@link #reserving}. */
    private final Map<String, Grading.TestOutcome> known = new HashMap<>();
    /** Tests that no longer count whatever the others do. Guarded by {@link #reserving}. */
    private Set<String> notNeeded = Set.of();
    /** Whether the first rejected test ends the judging ({@link Judge#judge}'s {@code firstRejectionEnds}). */
    private final boolean firstRejectionEnds;
    /** The index of the first rejected test known, or the number of tests. Guarded by {@link #reserving}. */
    int firstRejected;

    Judging(
            Executor executor,
            CustomChecker custom,
            InteractionJudging interactions,
            Submission submission,
            List<TestCase> tests,
            CheckerSpec checker,
            Judge.Plan plan,
            Grading grading,
            boolean lazy,
            boolean firstRejectionEnds) {
        this.executor = executor;
        this.custom = custom;
        this.interactions = interactions;
        this.firstRejectionEnds = firstRejectionEnds;
        this.firstRejected = tests.size();
        this.submission = submission;
        this.tests = tests;
        this.checker = checker;
        this.plan = plan;
        this.grading = grading;
        this.lazy = lazy;
        this.skipped = new boolean[tests.size()];
        long visible = tests.stream().filter(TestCase::visible).count();
        this.shownPerTest =
                (int) Math.max(Judge.SHOWN_MIN, Math.min(Judge.SHOWN_MAX, Judge.SHOWN_TOTAL / Math.max(1, visible)));
        this.outcomes = new Outcome[tests.size()];
    }

    /** Runs the lanes, the first on this thread; rethrows what a lane threw. */
    void run() {
        if (tests.isEmpty()) {
            call(0, 0); // compiles, runs nothing
        } else if (plan.lanes() == 1) {
            lane(0, tests.size());
        } else {
            // The lanes' threads log with the message's correlation id, and a session pool sends it on.
            Map<String, String> logContext = MDC.getCopyOfContextMap();
            List<CompletableFuture<Void>> lanes = new ArrayList<>();
            for (int c = 0; c < plan.lanes(); c++) {
                int from = tests.size() * c / plan.lanes(), to = tests.size() * (c + 1) / plan.lanes();
                lanes.add(CompletableFuture.runAsync(
                        () -> {
                            if (logContext != null) {
                                MDC.setContextMap(logContext);
                            }
                            lane(from, to);
                        },
                        Thread::startVirtualThread));
            }
            for (CompletableFuture<Void> lane : lanes) {
                try {
                    lane.join();
                } catch (CompletionException e) {
                    failure.compareAndSet(null, e.getCause());
                }
            }
        }
        Throwable failed = failure.get();
        if (failed instanceof Error error) {
            throw error;
        }
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
    }

    /**
     * Runs tests {@code from} to {@code to} in calls one after another. A call is also cut
     * before every visible test that follows a hidden one, so a visible test (whose output the
     * submitter sees) never runs in an executor call after a hidden one. The sandbox gives every
     * run a fresh work directory, but an executor that kept files between the runs of a call (a
     * session pool on an older image) would let a program save a hidden input on one test and
     * print it on the next. A problem's samples come first, so its calls are not cut there;
     * only inline tests, in the submitter's order, may be.
     */
    private void lane(int from, int to) {
        try {
            int next = from;
            while (next < to && failure.get() == null && failedCompile.get() == null) {
                int end;
                long reserved;
                reserving.lock();
                try {
                    while (next < to && notNeeded.contains(tests.get(next).name())) {
                        skipped[next++] = true;
                    }
                    if (next >= to) {
                        break;
                    }
                    if (!roomForATest()) {
                        break;
                    }
                    end = callEnd(next, to);
                    reserved = (end - next) * plan.worstRunWall();
                    reservedMs.addAndGet(reserved);
                } finally {
                    reserving.unlock();
                }
                try {
                    call(next, end);
                } finally {
                    reserving.lock();
                    try {
                        reservedMs.addAndGet(-reserved);
                        learn(next, end);
                        released.signalAll();
                    } finally {
                        reserving.unlock();
                    }
                }
                next = end;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
    }

    /**
     * Adds the outcomes of tests {@code from} to {@code to} to what is known and, when judging
     * is lazy, works out again which tests no longer count. Holds {@link #reserving}.
     */
    private void learn(int from, int to) {
        if (!lazy) {
            return;
        }
        boolean rejected = false;
        for (int i = from; i < to; i++) {
            Outcome o = outcomes[i];
            if (o != null) {
                known.put(tests.get(i).name(), new Grading.TestOutcome(o.verdict(), o.score(), o.scoreMultiplier()));
                if (!o.verdict().accepted()) {
                    rejected = true;
                    firstRejected = Math.min(firstRejected, i);
                }
            }
        }
        if (rejected) {
            Set<String> skip = new HashSet<>(grading == null ? Set.of() : grading.notNeeded(known));
            if (firstRejectionEnds) {
                for (int i = firstRejected + 1; i < tests.size(); i++) {
                    skip.add(tests.get(i).name());
                }
            }
            notNeeded = skip;
        }
    }

    /**
     * Whether a call may start: the runs and checks so far leave some of the time budget.
     * While the other lanes' calls under way may take all that is left, it waits for them to
     * end (they may take less), so that a lane does not run test after test while another's
     * long call is not counted yet: the budget is overrun by one test's worst case at most.
     * Holds {@link #reserving}.
     */
    private boolean roomForATest() throws InterruptedException {
        long budget = plan.timeBudget().toMillis();
        while (reservedMs.get() > 0
                && budget - wallTimeMs.get() - reservedMs.get() < plan.worstRunWall()
                && wallTimeMs.get() < budget
                && failure.get() == null) {
            released.await();
        }
        return wallTimeMs.get() < budget && failure.get() == null;
    }

    /**
     * Where the call that starts at {@code from} ends: within the lane's heap share, and within
     * its share of the time left once the other lanes' calls under way took all they may. So
     * the runs and checks of a judging take at most its time budget and one test's worst case
     * (a call runs one test at least; see {@link #roomForATest}). Where the first rejection
     * ends the judging, one test: the executor runs every input of a call. Holds
     * {@link #reserving}.
     */
    private int callEnd(int from, int to) {
        if (firstRejectionEnds) {
            // Every input of a call runs: one test a call, so none runs after the first rejected one.
            return from + 1;
        }
        long timeLeft = plan.timeBudget().toMillis() - wallTimeMs.get() - reservedMs.get();
        long byTime = Math.max(1, timeLeft / ((long) plan.lanes() * Math.max(1, plan.worstRunWall())));
        long heap = Judge.heapOf(tests.get(from), checker, plan.runLimits());
        int end = from + 1;
        while (end < to
                && end - from < byTime
                && !(tests.get(end).visible() && !tests.get(end - 1).visible())
                && !notNeeded.contains(tests.get(end).name())) {
            heap += Judge.heapOf(tests.get(end), checker, plan.runLimits());
            if (heap > plan.laneHeap()) {
                break;
            }
            end++;
        }
        return end;
    }

    /**
     * Runs tests {@code from} to {@code to} in one executor call and keeps only what their
     * results need; the call's outputs are garbage once this returns.
     */
    private void call(int from, int to) {
        List<TestCase> part = tests.subList(from, to);
        if (InteractionJudging.judges(checker)) {
            // Interactive and multi-pass problems: the validator runs with the submission.
            InteractionJudging.Call c =
                    interactions.call(submission, part, (CheckerSpec.Custom) checker, plan.runLimits(), shownPerTest);
            if (c.execution().session() != null) {
                sessions.add(c.execution().session());
            }
            if (from == 0) {
                first.set(c.execution());
            }
            if (c.execution().compileFailed()) {
                failedCompile.compareAndSet(null, c.execution());
                return;
            }
            wallTimeMs.addAndGet(c.wallTimeMs());
            for (int k = 0; k < part.size(); k++) {
                InteractionJudging.Judged j = c.tests().get(k);
                outcomes[from + k] =
                        new Outcome(j.verdict(), j.run(), j.shown(), j.message(), j.judgeMessage(), null, null);
            }
            if (c.sandboxFailure() != null) {
                checkerFailure.compareAndSet(null, c.sandboxFailure());
            }
            return;
        }
        List<RunInput> inputs =
                part.stream().map(t -> new RunInput(t.input(), List.of())).toList();
        // A syntax error of an interpreted language is a compile error when judged, as contest judges have it.
        ExecutionResult result = executor.execute(new ExecutionRequest(
                        submission.language(),
                        submission.version(),
                        submission.files(),
                        Map.of(),
                        null,
                        plan.runLimits(),
                        inputs)
                .withSyntaxCheck());
        if (result.session() != null) {
            sessions.add(result.session());
        }
        if (from == 0) {
            first.set(strip(result));
        }
        if (result.compileFailed()) {
            // A call's compile hit a limit (the first one's, or one the first did not): judge by it.
            failedCompile.compareAndSet(null, strip(result));
            return;
        }
        wallTimeMs.addAndGet(
                result.runs().stream().mapToLong(StageResult::wallTimeMs).sum());
        List<Verdict> verdicts = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<String> judgeMessages = new ArrayList<>();
        List<Integer> toCheck = new ArrayList<>();
        for (int k = 0; k < part.size(); k++) {
            StageResult run = result.runs().get(k);
            Verdict v = Judge.runVerdict(run);
            verdicts.add(v);
            // The exit code or signal: the program chose it, maybe from the input, so it is
            // kept only as the submitter may see it (TestResult.of hides it for hidden tests).
            messages.add(v == null ? null : run.message());
            judgeMessages.add(null);
            if (v == null) {
                toCheck.add(k);
            }
        }
        // Only the standard outputs are kept for checking; the rest of the call's output goes now.
        List<String> stdouts = result.runs().stream().map(StageResult::stdout).toList();
        List<StageResult> runs =
                result.runs().stream().map(Judging::withoutOutput).toList();
        result = null;
        Double[][] scores = new Double[part.size()][2];
        check(part, stdouts, toCheck, verdicts, messages, judgeMessages, scores);
        for (int k = 0; k < part.size(); k++) {
            outcomes[from + k] = new Outcome(
                    verdicts.get(k),
                    runs.get(k),
                    part.get(k).visible() ? Judge.shown(stdouts.get(k), shownPerTest) : null,
                    messages.get(k),
                    judgeMessages.get(k),
                    scores[k][0],
                    scores[k][1]);
        }
    }

    /** The output validator arguments of {@code test}'s group, after the checker's own. */
    private List<String> argumentsOf(TestCase test) {
        return grading == null ? List.of() : grading.outputValidatorArgs().getOrDefault(test.name(), List.of());
    }

    /**
     * Decides the tests at {@code indexes} of {@code part}: their verdicts, what the submitter
     * may read of them ({@code messages}, kept for visible tests only) and what only judges may
     * ({@code judgeMessages}), and a custom checker's {@code score.txt} and
     * {@code score_multiplier.txt} ({@code scores}). Each test's checker gets its group's
     * output validator arguments ({@link Grading#outputValidatorArgs}).
     */
    private void check(
            List<TestCase> part,
            List<String> stdouts,
            List<Integer> indexes,
            List<Verdict> verdicts,
            List<String> messages,
            List<String> judgeMessages,
            Double[][] scores) {
        if (indexes.isEmpty()) {
            return;
        }
        if (checker instanceof CheckerSpec.Custom program) {
            CustomChecker.Checked checked;
            try {
                checked = custom.check(
                        program,
                        indexes.stream().map(part::get).toList(),
                        indexes.stream().map(stdouts::get).toList(),
                        indexes.stream().map(i -> argumentsOf(part.get(i))).toList());
            } catch (ExecutorBusyException e) {
                throw e; // no room to run the checker: the judging waits and starts again
            } catch (RuntimeException e) {
                // The checker cannot run at all (unknown language, its data does not fit): that
                // is the engine's problem, reported once with the reason rather than retried.
                // The reason is for judges: it may name the tests' files.
                for (int i : indexes) {
                    verdicts.set(i, Verdict.IE);
                    messages.set(i, "the checker could not run");
                    judgeMessages.set(i, "the checker could not run: " + e.getMessage());
                }
                return;
            }
            wallTimeMs.addAndGet(checked.wallTimeMs());
            for (int k = 0; k < indexes.size(); k++) {
                CustomChecker.Check c = checked.checks().get(k);
                verdicts.set(indexes.get(k), c.verdict());
                messages.set(indexes.get(k), c.message());
                judgeMessages.set(indexes.get(k), c.judgeMessage());
                scores[indexes.get(k)][0] = c.score();
                scores[indexes.get(k)][1] = c.scoreMultiplier();
            }
            if (checked.sandboxFailure() != null) {
                checkerFailure.compareAndSet(null, checked.sandboxFailure());
            }
            return;
        }
        OutputChecker builtIn = OutputChecker.of(checker);
        for (int i : indexes) {
            List<String> arguments = argumentsOf(part.get(i));
            OutputChecker using = builtIn;
            if (!arguments.isEmpty() && checker instanceof CheckerSpec.Tokens tokens && tokens.kattis()) {
                // The group's flags after the problem's: the default validator reads them in order.
                using = OutputChecker.of(
                        new CheckerSpec.Tokens((tokens.validatorFlags() + " " + String.join(" ", arguments)).strip()));
            }
            OutputChecker.Answer a = using.check(part.get(i).expectedOutput(), stdouts.get(i));
            verdicts.set(i, a.accepted() ? Verdict.AC : Verdict.WA);
            messages.set(i, a.message());
        }
    }

    /** {@code result} without its runs' output (the compile stage keeps its own, which the executor bounds). */
    private static ExecutionResult strip(ExecutionResult result) {
        return new ExecutionResult(
                result.language(),
                result.version(),
                result.compile(),
                result.runs().stream().map(Judging::withoutOutput).toList(),
                result.session());
    }

    private static StageResult withoutOutput(StageResult r) {
        return new StageResult(
                "",
                "",
                "",
                r.code(),
                r.signal(),
                r.status(),
                r.message(),
                r.cpuTimeMs(),
                r.wallTimeMs(),
                r.memoryBytes());
    }
}
