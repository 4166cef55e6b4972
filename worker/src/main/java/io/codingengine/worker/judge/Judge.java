package io.codingengine.worker.judge;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges one submission: compiles it once, runs every test (one executor call), and checks each
 * output. The overall verdict is the first test's that is not AC, in test order (ICPC rules); the
 * score is the share of accepted tests.
 */
public final class Judge {

    private static final long MIN_OUTPUT = 64 * 1024;
    private static final long MAX_OUTPUT = 16L << 20;

    private final Executor executor;
    private final CustomChecker custom;
    private final Clock clock;
    private final String worker;

    public Judge(Executor executor, Clock clock, String worker) {
        this.executor = executor;
        this.custom = new CustomChecker(executor);
        this.clock = clock;
        this.worker = worker;
    }

    /**
     * @param limits  time and memory of each run (a problem's, or the defaults for inline tests)
     * @param tests   the tests, in order (a problem's samples then secret tests, or inline ones)
     * @param checker how outputs are compared
     */
    public Judgement judge(Submission submission, List<TestCase> tests, CheckerSpec checker, TestLimits limits,
                           long round, int attempt) {
        ExecutionResult result;
        try {
            result = executor.execute(new ExecutionRequest(submission.language(), submission.version(),
                    submission.files(), Map.of(), null, runLimits(limits, tests),
                    tests.stream().map(t -> new RunInput(t.input(), List.of())).toList()));
        } catch (InvalidRequestException e) {
            // The api validated the submission; a runtime that vanished since is the engine's fault.
            return judgement(Verdict.IE, 0, "cannot run the submission: " + e.getMessage(), List.of(), round, attempt);
        }
        if (result.compileFailed()) {
            StageResult compile = result.compile();
            Verdict verdict = compile.status() == io.codingengine.common.execution.StageStatus.XX ? Verdict.IE : Verdict.CE;
            return judgement(verdict, 0, compile.output(), List.of(), round, attempt);
        }
        List<Verdict> verdicts = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<Integer> toCheck = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            StageResult run = result.runs().get(i);
            Verdict v = runVerdict(run);
            verdicts.add(v);
            messages.add(v == null ? null : run.message());
            if (v == null) {
                toCheck.add(i);
            }
        }
        check(checker, tests, result.runs(), toCheck, verdicts, messages);
        List<TestResult> results = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            StageResult run = result.runs().get(i);
            results.add(TestResult.of(tests.get(i), verdicts.get(i), run.cpuTimeMs(), run.memoryBytes(),
                    run.stdout(), messages.get(i)));
        }
        long accepted = verdicts.stream().filter(Verdict::accepted).count();
        Verdict overall = verdicts.stream().filter(v -> !v.accepted()).findFirst().orElse(Verdict.AC);
        int score = tests.isEmpty() ? 0 : (int) (100 * accepted / tests.size());
        String compileOutput = result.compile() == null ? "" : result.compile().output();
        return judgement(overall, score, compileOutput, results, round, attempt);
    }

    private void check(CheckerSpec checker, List<TestCase> tests, List<StageResult> runs, List<Integer> indexes,
                       List<Verdict> verdicts, List<String> messages) {
        if (indexes.isEmpty()) {
            return;
        }
        if (checker instanceof CheckerSpec.Custom program) {
            List<OutputChecker.Answer> answers;
            try {
                answers = custom.check(program, indexes.stream().map(tests::get).toList(),
                        indexes.stream().map(i -> runs.get(i).stdout()).toList());
            } catch (RuntimeException e) {
                // The checker cannot run at all (unknown language, its data does not fit): that
                // is the engine's problem, reported once with the reason rather than retried.
                for (int i : indexes) {
                    verdicts.set(i, Verdict.IE);
                    messages.set(i, "the checker could not run: " + e.getMessage());
                }
                return;
            }
            for (int k = 0; k < indexes.size(); k++) {
                OutputChecker.Answer a = answers.get(k);
                verdicts.set(indexes.get(k), a == null ? Verdict.IE : a.accepted() ? Verdict.AC : Verdict.WA);
                messages.set(indexes.get(k), a == null ? "the checker failed" : a.message());
            }
            return;
        }
        OutputChecker builtIn = OutputChecker.of(checker);
        for (int i : indexes) {
            OutputChecker.Answer a = builtIn.check(tests.get(i).expectedOutput(), runs.get(i).stdout());
            verdicts.set(i, a.accepted() ? Verdict.AC : Verdict.WA);
            messages.set(i, a.message());
        }
    }

    /** The verdict the run alone decides, or null when the checker must look at the output. */
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

    private static LimitRequest runLimits(TestLimits limits, List<TestCase> tests) {
        long longest = tests.stream().mapToLong(t -> t.expectedOutput().length()).max().orElse(0);
        long output = Math.min(MAX_OUTPUT, Math.max(MIN_OUTPUT, 2 * longest + 4096));
        Duration wall = limits.time().multipliedBy(2).plusSeconds(1);
        return new LimitRequest(limits.time(), wall, limits.memoryBytes(), output);
    }

    private Judgement judgement(Verdict verdict, int score, String compileOutput, List<TestResult> tests,
                                long round, int attempt) {
        return new Judgement(verdict, score, compileOutput, tests, clock.instant(), worker, round, attempt);
    }

    /**
     * Time and memory of each run.
     *
     * @param time        CPU time per test (the wall limit is twice that plus a second)
     * @param memoryBytes memory per test
     */
    public record TestLimits(Duration time, long memoryBytes) {

        public static final TestLimits DEFAULTS = new TestLimits(Duration.ofSeconds(3), 256L << 20);
    }
}
