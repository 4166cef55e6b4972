package io.codingengine.worker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one submission may cost a worker: the heap its runs' outputs take (bounded whatever its
 * tests, or a submission with 1000 tests of 2 MiB outputs ran every worker out of memory) and the
 * time it holds a slot (bounded by the judging's time budget, or a submission with 1000 tests
 * whose own checker sleeps held one for seven hours). The arithmetic is checked at full scale with
 * an executor that only answers; the heap once more with the real one, in a JVM with a small heap.
 */
class JudgeBudgetTest {

    /** The default output budget, as the judge had no setting for it before. */
    private static final long BUDGET = 64L << 20;

    /**
     * An executor that answers at once, and tallies, per calling thread (a lane of the judging),
     * the worst-case heap of the last call's outputs, which the lane holds until its next call.
     */
    private static final class Tally implements Executor {
        private final Function<ExecutionRequest, List<StageResult>> runs;
        private final Map<Thread, Long> held = new ConcurrentHashMap<>();
        private final AtomicLong mostHeld = new AtomicLong();
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong runWallMs = new AtomicLong();

        Tally(Function<ExecutionRequest, List<StageResult>> runs) {
            this.runs = runs;
        }

        @Override
        public List<RuntimeInfo> runtimes() {
            return List.of();
        }

        @Override
        public int capacity() {
            return 2;
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request) {
            calls.incrementAndGet();
            held.put(
                    Thread.currentThread(),
                    Judge.HEAP_PER_OUTPUT_BYTE
                            * request.runLimits().outputBytes()
                            * request.runs().size());
            mostHeld.accumulateAndGet(
                    held.values().stream().mapToLong(Long::longValue).sum(), Math::max);
            List<StageResult> answered = runs.apply(request);
            runWallMs.addAndGet(
                    answered.stream().mapToLong(StageResult::wallTimeMs).sum());
            StageResult compiled = new StageResult("", "", "", 0, null, null, null, 100, 100, 1 << 20);
            return new ExecutionResult(request.language(), "1", compiled, answered, "tally");
        }
    }

    private static StageResult exited(int code, String stdout, long wallMs) {
        return new StageResult(
                stdout,
                "",
                stdout,
                code,
                null,
                code == 0 ? null : io.codingengine.common.execution.StageStatus.RE,
                code == 0 ? null : "Exited with error status " + code,
                10,
                wallMs,
                1 << 20);
    }

    @Test
    void aThousandTestsOfTwoMebibytesOfOutputStayWithinTheOutputBudget() {
        // The submission that ran every worker out of heap: each run fills stdout and stderr.
        Tally tally = new Tally(
                r -> r.runs().stream().map(in -> exited(0, "garbage", 50)).toList());
        List<TestCase> tests = OutputFloodMain.tests(1000);
        Judgement j = new Judge(tally, Clock.systemUTC(), "budget")
                .judge(OutputFloodMain.submission(tests), tests, CheckerSpec.DEFAULT, Judge.TestLimits.DEFAULTS, 0, 1)
                .judgement();
        assertEquals(1000, j.tests().size());
        assertEquals(Verdict.WA, j.verdict());
        assertTrue(
                tally.mostHeld.get() <= BUDGET,
                "at most " + BUDGET + " bytes of outputs at once, at worst; held " + tally.mostHeld.get() + " in "
                        + tally.calls.get() + " calls");
    }

    @Test
    void aLaneHoldsOneRunWhenOneRunIsMoreThanItsShare() {
        // A problem whose output limit is 16 MiB: one run's outputs may take 128 MiB, twice the
        // budget; the tests then run one at a time, never two such runs at once.
        List<TestCase> tests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tests.add(new TestCase("t" + i, "", "z".repeat(8 << 20), false));
        }
        Tally tally =
                new Tally(r -> r.runs().stream().map(in -> exited(0, "z", 50)).toList());
        new Judge(tally, Clock.systemUTC(), "budget")
                .judge(
                        submission("p1", tests, CheckerSpec.DEFAULT),
                        tests,
                        CheckerSpec.DEFAULT,
                        new Judge.TestLimits(Duration.ofSeconds(3), 256L << 20, 16L << 20),
                        0,
                        1);
        assertEquals(6, tally.calls.get());
        assertEquals(Judge.HEAP_PER_OUTPUT_BYTE * Judge.MAX_OUTPUT, tally.mostHeld.get());
    }

    /**
     * A problem's output limit is its package's {@code limits.output}, Kattis's 8 MiB by default;
     * inline tests keep twice their longest answer and 4 KiB, at least 64 KiB. The executor
     * applies it to standard output and error alike.
     */
    @Test
    void aProblemsOutputLimitIsItsPackagesAndInlineTestsTheirAnswers() {
        Judge.TestLimits defaults = Judge.TestLimits.DEFAULTS;
        List<TestCase> small = List.of(new TestCase("t", "", "Hello World!\n", false));
        List<TestCase> mebibyte = List.of(new TestCase("t", "", "x".repeat(1 << 20), false));
        List<TestCase> huge = List.of(new TestCase("t", "", "x".repeat(9 << 20), false));
        assertEquals(8L << 20, Judge.outputLimit(defaults, small, true), "Kattis's default limits.output");
        assertEquals(8L << 20, Judge.outputLimit(defaults, mebibyte, true));
        assertEquals(
                (9L << 20) + 4096, Judge.outputLimit(defaults, huge, true), "never less than the package's own answer");
        Judge.TestLimits oneMebibyte = new Judge.TestLimits(Duration.ofSeconds(1), 256L << 20, 1 << 20);
        assertEquals(1L << 20, Judge.outputLimit(oneMebibyte, small, true), "the package's limits.output");
        assertEquals(
                Judge.MAX_OUTPUT,
                Judge.outputLimit(new Judge.TestLimits(Duration.ofSeconds(1), 256L << 20, 64L << 20), small, true),
                "never more than the executor allows");
        assertEquals(Judge.MIN_OUTPUT, Judge.outputLimit(defaults, small, false));
        assertEquals((2L << 20) + 4096, Judge.outputLimit(defaults, mebibyte, false));
        assertEquals(Judge.MAX_OUTPUT, Judge.outputLimit(defaults, huge, false));
        assertEquals(1L << 20, Judge.outputLimit(oneMebibyte, small, false));

        // What the default's heap costs: one run of a problem may fill 8 MiB of stdout and of
        // stderr, so under the default 64 MiB output budget a problem's tests run in one lane.
        Judge judge = new Judge(new Tally(r -> List.of()), Clock.systemUTC(), "budget");
        assertEquals(
                1,
                judge.plan(submission("p1", small, CheckerSpec.DEFAULT), small, CheckerSpec.DEFAULT, defaults)
                        .lanes());
        List<TestCase> two = List.of(small.getFirst(), new TestCase("u", "", "1\n", false));
        assertEquals(
                2,
                judge.plan(submission(null, two, CheckerSpec.DEFAULT), two, CheckerSpec.DEFAULT, defaults)
                        .lanes());
        assertEquals(
                8L << 20,
                judge.plan(submission("p1", small, CheckerSpec.DEFAULT), small, CheckerSpec.DEFAULT, defaults)
                        .runLimits()
                        .outputBytes());
    }

    @Test
    void aSlowOwnCheckerOnAThousandTestsStopsAtTheJudgingBudget() {
        // Each run sleeps 6.5 s (within the 7 s wall limit of inline tests) and the submitter's
        // own checker 19.5 s (within its 20 s): 26 s a test, 7 hours for 1000 tests.
        CheckerSpec checker = new CheckerSpec.Custom(
                "python", "*", List.of(SourceFile.utf8("v.py", "import time, sys\ntime.sleep(19.5)\nsys.exit(42)")));
        Tally tally = new Tally(r -> r.runs().stream()
                .map(in -> in.args().isEmpty() ? exited(0, "1\n", 6_500) : exited(42, "", 19_500))
                .toList());
        List<TestCase> tests = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tests.add(new TestCase("t" + i, "", "1\n", true));
        }
        Duration budget = Judge.Settings.DEFAULTS.judgingBudget();
        Judgement j = new Judge(tally, Clock.systemUTC(), "budget")
                .judge(submission(null, tests, checker), tests, checker, Judge.TestLimits.DEFAULTS, 0, 1)
                .judgement();
        // The calls under way when the budget ran out finish: one per lane, a test each by then.
        long worstTest = 7_000 + 20_000;
        assertTrue(
                tally.runWallMs.get() <= budget.toMillis() + 2 * worstTest,
                "runs and checks took " + tally.runWallMs.get() + " ms of the " + budget + " budget");
        List<TestResult> notRun =
                j.tests().stream().filter(t -> t.timeMs() == 0).toList();
        assertEquals(1000, j.tests().size(), "every test has a result");
        assertTrue(notRun.size() > 950, notRun.size() + " tests not run");
        assertTrue(
                notRun.stream()
                        .allMatch(t -> t.verdict() == Verdict.TLE
                                && t.message().equals("not run: the judging's time budget of 300 s ran out")),
                notRun.getFirst().toString());
        assertEquals(Verdict.TLE, j.verdict(), "the tests that ran were accepted: the judging's time limit decides");
        assertEquals(100 * (1000 - notRun.size()) / 1000, j.score(), "a test not run scores nothing");
    }

    @Test
    void aProblemsBudgetGrantsEveryTestItsTimeLimitAndASecond() {
        List<TestCase> tests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tests.add(new TestCase("t" + i, "", "1\n", false));
        }
        Judge judge = new Judge(new Tally(r -> List.of()), Clock.systemUTC(), "budget");
        Judge.TestLimits twoSeconds = new Judge.TestLimits(Duration.ofSeconds(2), 256L << 20);
        assertEquals(
                Duration.ofSeconds(600),
                judge.plan(submission("p1", tests, CheckerSpec.DEFAULT), tests, CheckerSpec.DEFAULT, twoSeconds)
                        .timeBudget(),
                "200 tests of 2 s: 200 × 3 s");
        assertEquals(
                Duration.ofMinutes(5),
                judge.plan(submission(null, tests, CheckerSpec.DEFAULT), tests, CheckerSpec.DEFAULT, twoSeconds)
                        .timeBudget(),
                "inline tests, whose number the submitter picks: the setting");
        assertEquals(
                Duration.ofMinutes(5),
                judge.plan(
                                submission("p1", tests.subList(0, 10), CheckerSpec.DEFAULT),
                                tests.subList(0, 10),
                                CheckerSpec.DEFAULT,
                                twoSeconds)
                        .timeBudget(),
                "never less than the setting");
    }

    /**
     * The flood for real, in a JVM whose heap (128 MiB) holds the output budget but not eight
     * runs' outputs: every worker died of it before (it needed about 17 MB a test at once).
     */
    @Test
    void theOutputFloodIsJudgedInASmallHeap(@TempDir Path dir) throws Exception {
        int tests = 300;
        Path log = dir.resolve("flood.log");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        OutputFloodMain.class.getName(),
                        Integer.toString(tests),
                        Files.createDirectories(dir.resolve("data")).toString(),
                        "62600")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!child.waitFor(5, TimeUnit.MINUTES)) {
            child.destroyForcibly();
        }
        String out = Files.readString(log);
        assertEquals(
                0,
                child.exitValue(),
                out.lines().filter(l -> !l.contains(" INFO ")).toList().toString());
        assertTrue(out.contains("judged WA " + tests + " tests"), out);
    }

    private static Submission submission(String problemId, List<TestCase> tests, CheckerSpec checker) {
        return new Submission(
                "budget-1",
                problemId,
                null,
                "mallory",
                "python",
                "*",
                List.of(SourceFile.utf8("main.py", "print(1)")),
                problemId == null ? tests : List.of(),
                problemId == null ? checker : null,
                Instant.now());
    }
}
