package io.codingengine.worker.judge;

import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.GroupResult;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.problem.Problem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one submission: compiles it once, runs every test, and checks each output. The overall
 * verdict is the first test's that is not AC, in test order (ICPC rules); the score is the share
 * of accepted tests. When the executor has several slots the tests are split into contiguous
 * lanes run at once: each run still gets its own slot (its own uid, cgroup and CPU share, slots
 * never outnumber cores by default), so its CPU time limit means the same; the executor's compile
 * cache makes the calls share one compile; results are put back in test order. A hidden test's
 * result keeps its verdict, time and memory for the submitter; the checker's words, the exit code
 * and everything a custom checker said go to its judge message.
 *
 * <p><b>Bounded by construction.</b> A lane runs its tests in executor calls one after another,
 * each small enough that its runs' captured output, at worst (every stream full, two bytes of heap
 * a byte: {@link #HEAP_PER_OUTPUT_BYTE}), fits the lane's share of
 * {@link Settings#outputBudgetBytes()}; a call's outputs are checked as soon as it returns and
 * only what a result needs is kept (a visible test's output, clipped; never a standard error). So
 * the heap a judging holds for outputs is at most the budget, or one run's worst case when that
 * is more, whatever the tests. The runs' and checker runs' wall times are summed; once they reach
 * the judging's time budget ({@link Settings#judgingBudget()}) no further call starts, and the
 * tests that did not run are TLE: the judging as a whole exceeded its time limit.
 */
public final class Judge {

    private static final Logger LOG = LoggerFactory.getLogger(Judge.class);

    /** The least output limit of inline tests; their limit is twice the longest answer and 4 KiB, at least this. */
    static final long MIN_OUTPUT = 64 * 1024;
    /** The most output limit of any run: the executor's largest. */
    static final long MAX_OUTPUT = 16L << 20;
    /**
     * Heap one run's captured output may take per byte of its output limit: standard output and
     * error up to the limit each and their interleaving up to twice it (four limits of bytes), as
     * Java strings of up to two bytes a byte (a byte that is not UTF-8 becomes U+FFFD, one UTF-16
     * character). A session pool's answer is parsed as it streams in, so the same holds there.
     */
    static final int HEAP_PER_OUTPUT_BYTE = 8;
    /**
     * Characters of the program's output a judgement keeps of all its visible tests together; each
     * keeps at least {@link #SHOWN_MIN} and at most {@link #SHOWN_MAX} of them.
     */
    static final int SHOWN_TOTAL = 1 << 20;

    static final int SHOWN_MIN = 1 << 10;
    static final int SHOWN_MAX = 64 << 10;
    /** What a problem's time budget grants each test beyond its time limit: start-up and checking. */
    static final Duration PER_TEST_SLACK = Duration.ofSeconds(1);

    private final Executor executor;
    private final CustomChecker custom;
    private final InteractionJudging interactions;
    private final Clock clock;
    private final String worker;
    private final Settings settings;

    /**
     * How a judging uses the executor.
     *
     * @param parallelTests     lanes of a submission's tests run at once; 0: the executor's
     *                          capacity, 1: one after another
     * @param outputBudgetBytes heap the captured outputs of a judging's runs may take at once, at
     *                          worst; shared by its lanes, each executor call cut to fit (one run
     *                          at least, and fewer lanes when one run's worst case is more than a
     *                          lane's share)
     * @param judgingBudget     wall time of a judging's runs and checker runs, summed, after which
     *                          no further executor call starts and the tests not run are TLE; a
     *                          problem's tests get at least tests × (time limit + 1 s)
     */
    public record Settings(int parallelTests, long outputBudgetBytes, Duration judgingBudget) {

        public static final Settings DEFAULTS = new Settings(0, 64L << 20, Duration.ofMinutes(5));

        public Settings {
            if (parallelTests < 0) {
                throw new IllegalArgumentException("parallel tests must be >= 0, was " + parallelTests);
            }
            if (outputBudgetBytes <= 0) {
                throw new IllegalArgumentException("the output budget must be positive, was " + outputBudgetBytes);
            }
            Objects.requireNonNull(judgingBudget, "judgingBudget");
            if (judgingBudget.toMillis() <= 0) {
                throw new IllegalArgumentException("the judging budget must be positive, was " + judgingBudget);
            }
        }

        public Settings withParallelTests(int parallelTests) {
            return new Settings(parallelTests, outputBudgetBytes, judgingBudget);
        }

        public Settings withJudgingBudget(Duration judgingBudget) {
            return new Settings(parallelTests, outputBudgetBytes, judgingBudget);
        }
    }

    /** Tests run on as many slots as the executor has. */
    public Judge(Executor executor, Clock clock, String worker) {
        this(executor, clock, worker, Settings.DEFAULTS);
    }

    /** @param parallelTests lanes of a submission's tests run at once; 0: the executor's capacity, 1: one after another */
    public Judge(Executor executor, Clock clock, String worker, int parallelTests) {
        this(executor, clock, worker, Settings.DEFAULTS.withParallelTests(parallelTests));
    }

    public Judge(Executor executor, Clock clock, String worker, Settings settings) {
        this.executor = executor;
        this.custom = new CustomChecker(executor);
        this.interactions = new InteractionJudging(executor);
        this.clock = clock;
        this.worker = worker;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * @param limits  time and memory of each run (a problem's, or the defaults for inline tests)
     * @param tests   the tests, in order (a problem's samples then secret tests, or inline ones)
     * @param checker how outputs are compared
     */
    public Judged judge(
            Submission submission,
            List<TestCase> tests,
            CheckerSpec checker,
            TestLimits limits,
            long round,
            int attempt) {
        return judge(submission, tests, checker, limits, null, false, round, attempt);
    }

    /**
     * @param grading  the problem's test data groups ({@link Grading}), or {@code null}: every
     *                 test runs, the verdict is the first rejected test's and the score the share
     *                 accepted
     * @param allTests run every test even where a rejection already decided the judgement (a
     *                 regrade that asks for it): their results are shown, and change nothing
     *                 but a pass-fail problem's share of tests accepted
     */
    public Judged judge(
            Submission submission,
            List<TestCase> tests,
            CheckerSpec checker,
            TestLimits limits,
            Grading grading,
            boolean allTests,
            long round,
            int attempt) {
        return judge(submission, tests, checker, limits, grading, allTests, false, round, attempt);
    }

    /**
     * {@link #judge(Submission, List, CheckerSpec, TestLimits, Grading, boolean, long, int)}, and
     * with {@code firstRejectionEnds} (never with {@code allTests}) the first rejected test in run
     * order ends the judging and is its verdict, whatever the groups would still run: the tests
     * after it are not run. Such a judging runs its tests one at a time, one test an executor
     * call, so that none starts after the first rejected one; its duration says nothing of them.
     */
    public Judged judge(
            Submission submission,
            List<TestCase> tests,
            CheckerSpec checker,
            TestLimits limits,
            Grading grading,
            boolean allTests,
            boolean firstRejectionEnds,
            long round,
            int attempt) {
        boolean firstEnds = firstRejectionEnds && !allTests;
        Plan plan = plan(submission, tests, checker, limits, firstEnds);
        Judging judging = new Judging(
                executor,
                custom,
                interactions,
                submission,
                tests,
                checker,
                plan,
                grading,
                grading != null && !allTests || firstEnds,
                firstEnds);
        try {
            judging.run();
        } catch (InvalidRequestException e) {
            // The api validated the submission; a runtime that vanished since is the engine's fault.
            return new Judged(
                    judgement(Verdict.IE, 0, "cannot run the submission: " + e.getMessage(), List.of(), round, attempt),
                    null,
                    null);
        }
        String sessions = sessions(judging.sessions);
        ExecutionResult failedCompile = judging.failedCompile.get();
        if (failedCompile != null) {
            StageResult compile = failedCompile.compile();
            Verdict verdict = compile.status() == StageStatus.XX ? Verdict.IE : Verdict.CE;
            ExecutionResult execution = new ExecutionResult(
                    failedCompile.language(), failedCompile.version(), compile, List.of(), sessions);
            return new Judged(
                    judgement(verdict, 0, compile.output(), List.of(), round, attempt),
                    execution,
                    execution.sandboxFailure());
        }
        List<TestResult> results = new ArrayList<>();
        List<StageResult> runs = new ArrayList<>();
        Map<String, Grading.TestOutcome> outcomes = new HashMap<>();
        int outOfTime = 0;
        for (int i = 0; i < tests.size(); i++) {
            Judging.Outcome o = judging.outcomes[i];
            if (o == null && !judging.skipped[i]) {
                outOfTime++;
                outcomes.put(tests.get(i).name(), Grading.TestOutcome.of(Verdict.TLE));
            } else if (o != null) {
                outcomes.put(tests.get(i).name(), new Grading.TestOutcome(o.verdict(), o.score(), o.scoreMultiplier()));
            }
        }
        if (outOfTime > 0) {
            LOG.warn(
                    "judging {} round {} ran out of its time budget ({} s of runs and checks): {} of {} tests not run",
                    submission.id(),
                    round,
                    judging.wallTimeMs.get() / 1000,
                    outOfTime,
                    tests.size());
        }
        Grading.Grade grade = grading == null ? null : grading.grade(outcomes);
        for (int i = 0; i < tests.size(); i++) {
            Judging.Outcome o = judging.outcomes[i];
            TestCase test = tests.get(i);
            boolean counts = (grade == null || grade.counted().contains(test.name()))
                    && !(firstEnds && i > judging.firstRejected);
            if (o != null) {
                runs.add(o.run());
            }
            if (o != null && (counts || !judging.lazy)) {
                results.add(TestResult.of(
                        test,
                        o.verdict(),
                        o.run().cpuTimeMs(),
                        o.run().memoryBytes(),
                        o.shown(),
                        o.message(),
                        o.judgeMessage()));
            } else if (o == null && !judging.skipped[i]) {
                results.add(TestResult.of(
                        test,
                        Verdict.TLE,
                        0,
                        0,
                        null,
                        "not run: the judging's time budget of "
                                + plan.timeBudget().toSeconds() + " s ran out",
                        null));
            } else {
                results.add(TestResult.of(
                        test, Verdict.NR, 0, 0, null, "not run: an earlier rejected test decided its group", null));
            }
        }
        if (InteractionJudging.judges(checker)) {
            results.replaceAll(TestResult::withoutExpected); // the answer is the validator's data
        }
        Verdict overall;
        int score;
        List<GroupResult> groups;
        if (grade == null || firstEnds && judging.firstRejected < tests.size()) {
            long accepted = results.stream().filter(r -> r.verdict().accepted()).count();
            overall = results.stream()
                    .map(TestResult::verdict)
                    .filter(v -> !v.accepted())
                    .findFirst()
                    .orElse(Verdict.AC);
            score = tests.isEmpty() ? 0 : (int) (100 * accepted / tests.size());
            groups = grade == null ? List.of() : grade.groups();
        } else {
            overall = grade.verdict() == Verdict.NR ? Verdict.IE : grade.verdict();
            // A pass-fail problem's share counts every test shown accepted: when every test was
            // asked for, also those after the deciding rejection (a POINTS contest's partial credit).
            long accepted = results.stream().filter(r -> r.verdict().accepted()).count();
            score = grading.scoring()
                    ? (int) Math.max(0, Math.min(Judgement.MAX_SCORE, Math.round(grade.score())))
                    : (int) (100 * accepted / tests.size());
            groups = grade.groups();
        }
        ExecutionResult first = judging.first.get();
        StageResult compile = first == null ? null : first.compile();
        ExecutionResult execution =
                first == null ? null : new ExecutionResult(first.language(), first.version(), compile, runs, sessions);
        String failure = execution == null ? null : execution.sandboxFailure();
        return new Judged(
                new Judgement(
                        overall,
                        score,
                        compile == null ? "" : compile.output(),
                        results,
                        clock.instant(),
                        worker,
                        round,
                        attempt,
                        groups),
                execution,
                failure != null ? failure : judging.checkerFailure.get());
    }

    /**
     * A judgement and the execution behind it: its compile stage, runs and
     * {@link ExecutionResult#session() session} (every call's), for the audit log and the
     * metrics. The runs keep their status, times and memory, not their output.
     *
     * @param execution      {@code null} when nothing ran
     * @param sandboxFailure why the sandbox itself failed under the submission's or its checker's
     *                       runs (a stage with status {@code XX}; the verdict is then IE, which a
     *                       new attempt may not repeat), or {@code null}
     */
    public record Judged(Judgement judgement, ExecutionResult execution, String sandboxFailure) {}

    // ------------------------------------------------------------------ planning

    /**
     * How a judging runs: its lanes, the heap one lane's call may hold, and its time budget.
     *
     * @param lanes        tests run at once, in contiguous lanes
     * @param laneHeap     the worst-case heap of one call's outputs a lane may hold
     * @param runLimits    limits of each run
     * @param timeBudget   summed wall time of the runs and checker runs
     * @param worstRunWall the most wall time one test can take (its run, and its custom checker's)
     */
    record Plan(int lanes, long laneHeap, LimitRequest runLimits, Duration timeBudget, long worstRunWall) {}

    Plan plan(Submission submission, List<TestCase> tests, CheckerSpec checker, TestLimits limits) {
        return plan(submission, tests, checker, limits, false);
    }

    /**
     * @param oneAtATime the first rejected test ends the judging: one lane, which runs one test a
     *                   call ({@link Judging#callEnd}), so that no test after the first rejected
     *                   one starts. An executor call runs every input it was given and another
     *                   lane's call under way would be waited for, so either would let the
     *                   judging's duration depend on a later hidden test (a program that sleeps
     *                   on it).
     */
    Plan plan(Submission submission, List<TestCase> tests, CheckerSpec checker, TestLimits limits, boolean oneAtATime) {
        LimitRequest runLimits = runLimits(limits, tests, submission.problemId() != null);
        long worstRun = tests.stream()
                .mapToLong(t -> heapOf(t, checker, runLimits))
                .max()
                .orElse(0);
        int lanes = Math.max(
                1,
                Math.min(tests.size(), settings.parallelTests() > 0 ? settings.parallelTests() : executor.capacity()));
        if (worstRun > 0) {
            // Fewer lanes when a lane's share would not hold one run.
            lanes = (int) Math.max(1, Math.min(lanes, settings.outputBudgetBytes() / worstRun));
        }
        if (oneAtATime) {
            lanes = 1;
        }
        Duration budget = settings.judgingBudget();
        if (submission.problemId() != null) {
            // A problem's own tests and limits: a submission within the time limit on every test
            // is not cut however many tests the problem has (unless its checker is slow).
            Duration perTest = limits.time().plus(PER_TEST_SLACK);
            Duration scaled = perTest.multipliedBy(tests.size());
            budget = scaled.compareTo(budget) > 0 ? scaled : budget;
        }
        long worstRunWall = InteractionJudging.judges(checker)
                ? InteractionJudging.worstWallMs((CheckerSpec.Custom) checker, runLimits)
                : runLimits.wallTime().toMillis()
                        + (checker instanceof CheckerSpec.Custom
                                ? CustomChecker.LIMITS.wallTime().toMillis()
                                : 0);
        return new Plan(lanes, settings.outputBudgetBytes() / lanes, runLimits, budget, worstRunWall);
    }

    /**
     * The heap one test's run may take at worst while its call is judged: its captured output,
     * and for a custom checker the checker run's output and the test's files sent to it (base64).
     */
    static long heapOf(TestCase test, CheckerSpec checker, LimitRequest runLimits) {
        if (InteractionJudging.judges(checker)) {
            return InteractionJudging.heapOf(test, (CheckerSpec.Custom) checker, runLimits);
        }
        long heap = HEAP_PER_OUTPUT_BYTE * runLimits.outputBytes();
        if (checker instanceof CheckerSpec.Custom) {
            heap += HEAP_PER_OUTPUT_BYTE * CustomChecker.LIMITS.outputBytes()
                    + 4L * (test.input().length() + test.expectedOutput().length());
        }
        return heap;
    }

    // ------------------------------------------------------------------ results (Judging runs the tests)

    /** Sessions named in the audit entry and the logs, at most this many (a judging may make many calls). */
    static final int SESSIONS_NAMED = 16;

    /** Where the calls ran, in the order first seen, space-separated; or null. */
    private static String sessions(Set<String> sessions) {
        List<String> all;
        synchronized (sessions) {
            all = List.copyOf(sessions);
        }
        if (all.isEmpty()) {
            return null;
        }
        String named = String.join(" ", all.subList(0, Math.min(all.size(), SESSIONS_NAMED)));
        return all.size() > SESSIONS_NAMED ? named + " (+" + (all.size() - SESSIONS_NAMED) + " more)" : named;
    }

    /** The first {@code max} characters of a program's output, saying when there was more. */
    static String shown(String output, int max) {
        if (output.length() <= max) {
            return output;
        }
        int cut = Character.isHighSurrogate(output.charAt(max - 1)) ? max - 1 : max;
        return output.substring(0, cut) + "\n… [" + (output.length() - cut) + " more characters not kept]";
    }

    /**
     * The verdict the run alone decides, or null when the checker must look at the output. The
     * executor stops a program whose standard output goes past the output limit (OL): OLE.
     * Standard error is cut short for judged runs ({@link #runVerdict}'s EL comes only from an
     * executor that cannot cut it), also OLE, the run's message saying which stream it was.
     */
    static Verdict runVerdict(StageResult run) {
        if (run.status() == null) {
            return null;
        }
        return switch (run.status()) {
            case TO -> Verdict.TLE;
            case ML -> Verdict.MLE;
            case OL, EL -> Verdict.OLE;
            case RE, SG -> Verdict.RE;
            case XX -> Verdict.IE;
        };
    }

    /**
     * The limits of each run. The output limit ({@link #outputLimit}) stops a program writing more
     * to standard output; standard error, which judging ignores as Kattis does, is cut there and
     * the program runs on.
     */
    static LimitRequest runLimits(TestLimits limits, List<TestCase> tests, boolean problem) {
        Duration wall = limits.time().multipliedBy(2).plusSeconds(1);
        return new LimitRequest(limits.time(), wall, limits.memoryBytes(), outputLimit(limits, tests, problem), true);
    }

    /**
     * A run's output limit. A problem's is its package's {@code limits.output}
     * ({@link TestLimits#outputBytes()}; Kattis's 8 MiB when it gives none), as Kattis judges it,
     * though never less than the longest answer and 4 KiB (a package whose own answer does not
     * fit has no accepted submission on Kattis either). Inline tests, whose answers the submitter
     * writes, get twice the longest answer and 4 KiB, at least {@link #MIN_OUTPUT}, or their
     * {@link TestLimits#outputBytes()}. Never more than {@link #MAX_OUTPUT}, the executor's most.
     */
    static long outputLimit(TestLimits limits, List<TestCase> tests, boolean problem) {
        long longest =
                tests.stream().mapToLong(t -> t.expectedOutput().length()).max().orElse(0);
        long output;
        if (problem) {
            long given = limits.outputBytes() > 0 ? limits.outputBytes() : Problem.DEFAULT_OUTPUT_LIMIT_BYTES;
            output = Math.max(given, longest + 4096);
        } else {
            output = limits.outputBytes() > 0 ? limits.outputBytes() : Math.max(MIN_OUTPUT, 2 * longest + 4096);
        }
        return Math.min(MAX_OUTPUT, output);
    }

    private Judgement judgement(
            Verdict verdict, int score, String compileOutput, List<TestResult> tests, long round, int attempt) {
        return new Judgement(verdict, score, compileOutput, tests, clock.instant(), worker, round, attempt);
    }

    /**
     * Time, memory and output of each run.
     *
     * @param time        CPU time per test (the wall limit is twice that plus a second)
     * @param memoryBytes memory per test
     * @param outputBytes output per test (a problem's {@code limits.output}), or 0: for a problem
     *                    {@link Problem#DEFAULT_OUTPUT_LIMIT_BYTES}, for inline tests twice the longest answer
     *                    and 4 KiB, at least 64 KiB (see {@link Judge#outputLimit}); at most 16 MiB
     *                    in any case. Standard output past it is OLE; standard error is cut
     *                    there
     */
    public record TestLimits(Duration time, long memoryBytes, long outputBytes) {

        public static final TestLimits DEFAULTS = new TestLimits(Duration.ofSeconds(3), 256L << 20);

        public TestLimits {
            Objects.requireNonNull(time, "time");
            if (outputBytes < 0) {
                throw new IllegalArgumentException("outputBytes must be >= 0, was " + outputBytes);
            }
        }

        /** The default output limit: a problem's 8 MiB, or inline tests' share of their answers. */
        public TestLimits(Duration time, long memoryBytes) {
            this(time, memoryBytes, 0);
        }
    }
}
