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

import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Judges one submission: compiles it once, runs every test, and checks each output. The overall
 * verdict is the first test's that is not AC, in test order (ICPC rules); the score is the share
 * of accepted tests. When the executor has several slots the tests are split into contiguous
 * chunks run at once, one executor call per chunk: each run still gets its own slot (its own uid,
 * cgroup and CPU share, slots never outnumber cores by default), so its CPU time limit means the
 * same; the executor's compile cache makes the chunks share one compile; results are put back in
 * test order. A hidden test's result keeps its verdict, time and memory for the submitter; the
 * checker's words, the exit code and everything a custom checker said go to its judge message.
 */
public final class Judge {

    private static final long MIN_OUTPUT = 64 * 1024;
    private static final long MAX_OUTPUT = 16L << 20;

    private final Executor executor;
    private final CustomChecker custom;
    private final Clock clock;
    private final String worker;
    private final int parallelTests;

    /** Tests run on as many slots as the executor has. */
    public Judge(Executor executor, Clock clock, String worker) {
        this(executor, clock, worker, 0);
    }

    /** @param parallelTests chunks of a submission's tests run at once; 0: the executor's capacity, 1: one after another */
    public Judge(Executor executor, Clock clock, String worker, int parallelTests) {
        this.executor = executor;
        this.custom = new CustomChecker(executor);
        this.clock = clock;
        this.worker = worker;
        this.parallelTests = parallelTests;
    }

    /**
     * @param limits  time and memory of each run (a problem's, or the defaults for inline tests)
     * @param tests   the tests, in order (a problem's samples then secret tests, or inline ones)
     * @param checker how outputs are compared
     */
    public Judged judge(Submission submission, List<TestCase> tests, CheckerSpec checker, TestLimits limits,
                        long round, int attempt) {
        ExecutionResult result;
        try {
            result = execute(submission, tests, runLimits(limits, tests));
        } catch (InvalidRequestException e) {
            // The api validated the submission; a runtime that vanished since is the engine's fault.
            return new Judged(judgement(Verdict.IE, 0, "cannot run the submission: " + e.getMessage(), List.of(), round,
                    attempt), null, null);
        }
        if (result.compileFailed()) {
            StageResult compile = result.compile();
            Verdict verdict = compile.status() == io.codingengine.common.execution.StageStatus.XX ? Verdict.IE : Verdict.CE;
            return new Judged(judgement(verdict, 0, compile.output(), List.of(), round, attempt), result,
                    result.sandboxFailure());
        }
        List<Verdict> verdicts = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<String> judgeMessages = new ArrayList<>();
        List<Integer> toCheck = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            StageResult run = result.runs().get(i);
            Verdict v = runVerdict(run);
            verdicts.add(v);
            // The exit code or signal: the program chose it, maybe from the input, so it is
            // kept only as the submitter may see it (TestResult.of hides it for hidden tests).
            messages.add(v == null ? null : run.message());
            judgeMessages.add(null);
            if (v == null) {
                toCheck.add(i);
            }
        }
        String checkerFailure = check(checker, tests, result.runs(), toCheck, verdicts, messages, judgeMessages);
        List<TestResult> results = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            StageResult run = result.runs().get(i);
            results.add(TestResult.of(tests.get(i), verdicts.get(i), run.cpuTimeMs(), run.memoryBytes(),
                    run.stdout(), messages.get(i), judgeMessages.get(i)));
        }
        long accepted = verdicts.stream().filter(Verdict::accepted).count();
        Verdict overall = verdicts.stream().filter(v -> !v.accepted()).findFirst().orElse(Verdict.AC);
        int score = tests.isEmpty() ? 0 : (int) (100 * accepted / tests.size());
        String compileOutput = result.compile() == null ? "" : result.compile().output();
        String failure = result.sandboxFailure();
        return new Judged(judgement(overall, score, compileOutput, results, round, attempt), result,
                failure != null ? failure : checkerFailure);
    }

    /**
     * A judgement and the execution behind it: its compile stage, runs and
     * {@link ExecutionResult#session() session} (every chunk's), for the audit log and the metrics.
     *
     * @param execution      {@code null} when nothing ran
     * @param sandboxFailure why the sandbox itself failed under the submission's or its checker's
     *                       runs (a stage with status {@code XX}; the verdict is then IE, which a
     *                       new attempt may not repeat), or {@code null}
     */
    public record Judged(Judgement judgement, ExecutionResult execution, String sandboxFailure) {
    }

    /**
     * Runs the tests in up to {@code chunks()} contiguous chunks at once; the runs come back in
     * test order. A chunk is also cut before every visible test that follows a hidden one, so a
     * visible test (whose output the submitter sees) never runs in an executor call after a
     * hidden one. The sandbox gives every run a fresh work directory, but an executor that kept
     * files between the runs of a call (a session pool on an older image) would let a program
     * save a hidden input on one test and print it on the next. A problem's samples come first,
     * so its chunks are not cut; only inline tests, in the submitter's order, may be.
     */
    private ExecutionResult execute(Submission submission, List<TestCase> tests, LimitRequest limits) {
        int chunks = Math.max(1, Math.min(tests.size(), parallelTests > 0 ? parallelTests : executor.capacity()));
        List<List<TestCase>> calls = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int from = tests.size() * c / chunks, to = tests.size() * (c + 1) / chunks, start = from;
            for (int i = from + 1; i < to; i++) {
                if (tests.get(i).visible() && !tests.get(i - 1).visible()) {
                    calls.add(tests.subList(start, i));
                    start = i;
                }
            }
            calls.add(tests.subList(start, to));
        }
        List<CompletableFuture<ExecutionResult>> parts = new ArrayList<>();
        // The chunks' threads log with the message's correlation id, and a session pool sends it on.
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        for (List<TestCase> call : calls) {
            List<RunInput> runs = call.stream().map(t -> new RunInput(t.input(), List.of())).toList();
            ExecutionRequest request = new ExecutionRequest(submission.language(), submission.version(),
                    submission.files(), Map.of(), null, limits, runs);
            parts.add(chunks == 1 ? CompletableFuture.completedFuture(executor.execute(request))
                    : CompletableFuture.supplyAsync(() -> {
                        if (logContext != null) {
                            MDC.setContextMap(logContext);
                        }
                        return executor.execute(request);
                    }, Thread::startVirtualThread));
        }
        List<ExecutionResult> results = new ArrayList<>();
        for (CompletableFuture<ExecutionResult> part : parts) {
            try {
                results.add(part.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        ExecutionResult first = results.getFirst();
        if (first.compileFailed()) {
            return first;
        }
        List<StageResult> runs = new ArrayList<>();
        for (ExecutionResult r : results) {
            if (r.compileFailed()) {
                return r; // a chunk's compile hit a limit the first one did not: judge by it
            }
            runs.addAll(r.runs());
        }
        String sessions = results.stream().map(ExecutionResult::session).filter(java.util.Objects::nonNull).distinct()
                .collect(java.util.stream.Collectors.joining(" "));
        return new ExecutionResult(first.language(), first.version(), first.compile(), runs,
                sessions.isEmpty() ? null : sessions);
    }

    /**
     * Decides the tests at {@code indexes}: their verdicts, what the submitter may read of them
     * ({@code messages}, kept for visible tests only) and what only judges may
     * ({@code judgeMessages}); returns why the checker's sandbox failed, or null.
     */
    private String check(CheckerSpec checker, List<TestCase> tests, List<StageResult> runs, List<Integer> indexes,
                         List<Verdict> verdicts, List<String> messages, List<String> judgeMessages) {
        if (indexes.isEmpty()) {
            return null;
        }
        if (checker instanceof CheckerSpec.Custom program) {
            CustomChecker.Checked checked;
            try {
                checked = custom.check(program, indexes.stream().map(tests::get).toList(),
                        indexes.stream().map(i -> runs.get(i).stdout()).toList());
            } catch (RuntimeException e) {
                // The checker cannot run at all (unknown language, its data does not fit): that
                // is the engine's problem, reported once with the reason rather than retried.
                // The reason is for judges: it may name the tests' files.
                for (int i : indexes) {
                    verdicts.set(i, Verdict.IE);
                    messages.set(i, "the checker could not run");
                    judgeMessages.set(i, "the checker could not run: " + e.getMessage());
                }
                return null;
            }
            for (int k = 0; k < indexes.size(); k++) {
                CustomChecker.Check c = checked.checks().get(k);
                verdicts.set(indexes.get(k), c.verdict());
                messages.set(indexes.get(k), c.message());
                judgeMessages.set(indexes.get(k), c.judgeMessage());
            }
            return checked.sandboxFailure();
        }
        OutputChecker builtIn = OutputChecker.of(checker);
        for (int i : indexes) {
            OutputChecker.Answer a = builtIn.check(tests.get(i).expectedOutput(), runs.get(i).stdout());
            verdicts.set(i, a.accepted() ? Verdict.AC : Verdict.WA);
            messages.set(i, a.message());
        }
        return null;
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
