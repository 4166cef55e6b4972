package io.codingengine.api.judge;

import io.codingengine.api.execution.BusyException;
import io.codingengine.api.execution.ExecutionService;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.problem.InvalidPackageException;
import io.codingengine.common.problem.KattisPackage;
import io.codingengine.common.problem.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * Computes a problem's time limit at import, as problemtools does, when its package gives none:
 * each accepted submission ({@code submissions/accepted/}) in a language the engine runs is run
 * once on every test through the {@link ExecutionService} (the api's sandbox, or a worker's
 * through the queue: the same sandbox and CPU time accounting that judges), and the slowest run's
 * CPU time goes through the package's {@link io.codingengine.common.problem.TimeLimitRule}.
 * <p>
 * It runs inside the import request, bounded in wall time for real: every call to the executor
 * is sized (its tests, each run at most {@link #PROBE_CPU} of CPU and {@link #PROBE_WALL} of wall
 * time, its compile at most {@link #COMPILE_WALL}) so that it ends within {@link #BUDGET} of the
 * start even at its worst, and is not started later than that allows; a submission's first call
 * runs one test, each next one twice as many, up to {@link #MAX_TESTS_PER_CALL}. The calls go
 * after interactive runs and contest judging ({@link ExecutionService#executeInBackground}), and
 * one api process computes one problem's limit at a time: another import that needs one gets a
 * {@link BusyException} (503, with when to try again).
 * <p>
 * As problemtools fails a package whose accepted submission is too slow, a run past the probe's
 * limits refuses the package ({@code 400}: give {@code limits.time_limit}), and so does a package
 * whose runs do not fit in the budget. A submission that does not compile here or fails a test
 * otherwise (a language version the engine does not have, a crash) is left out, and the limit
 * says which were; outputs are not checked here (the judge checks them when the submissions are
 * submitted). A package with no accepted submission that runs here keeps the default limit, and
 * says so. Workers too busy to run the calls in time are a {@link BusyException}.
 */
final class TimeLimitCalibration {

    static final Duration BUDGET = Duration.ofMinutes(2);
    static final Duration PROBE_CPU = Duration.ofSeconds(10);
    /** Wall time of a probe run: its CPU time and a little, as an accepted submission only computes. */
    static final Duration PROBE_WALL = PROBE_CPU.plusSeconds(2);
    /** Wall time of a call's compile (or an interpreted language's syntax check): the executor's default. */
    static final Duration COMPILE_WALL = Duration.ofSeconds(10);
    /**
     * The least of the budget left when a judging of an accepted submission with the problem's
     * validator starts: the worker keeps 25 s of it for the compiles, and a test's worst case
     * with the validator is near 50 s.
     */
    static final Duration WITH_VALIDATOR_CALL = Duration.ofSeconds(60);
    /** What a run costs besides its own time (its box's start and end), and a call besides its runs (the queue). */
    static final Duration RUN_SLACK = Duration.ofSeconds(1);

    static final Duration CALL_SLACK = Duration.ofSeconds(2);
    /** Tests of one call at most: at worst {@link #worstCall} of it, well inside the budget. */
    static final int MAX_TESTS_PER_CALL = 8;

    private final ExecutionService execution;
    private final Clock clock;
    private final Semaphore running = new Semaphore(1);
    /** When the calibration under way ends at the latest, for the others' Retry-After. */
    private volatile Instant busyUntil = Instant.EPOCH;

    TimeLimitCalibration(ExecutionService execution, Clock clock) {
        this.execution = execution;
        this.clock = clock;
    }

    /**
     * The problem of {@code read}, its time limit computed when the package asks for that.
     *
     * @throws BusyException when another calibration is under way, or the workers did not run this one in time
     */
    Problem apply(KattisPackage.Read read, String caller) {
        Problem problem = read.problem();
        if (read.rule() == null) {
            return problem;
        }
        Set<String> languages =
                execution.runtimes().stream().map(RuntimeInfo::language).collect(Collectors.toSet());
        List<KattisPackage.AcceptedSubmission> runnable = read.accepted().stream()
                .filter(s -> s.language() != null && languages.contains(s.language()))
                .toList();
        if (runnable.isEmpty()) {
            return problem.withTimeLimit(
                    problem.timeLimit(),
                    KattisPackage.DEFAULT_SOURCE + " "
                            + problem.timeLimit().toMillis() / 1000.0
                            + " s: the package gives no time limit and has no accepted"
                            + " submission in a language the engine runs");
        }
        if (!running.tryAcquire()) {
            throw new BusyException(
                    "another import is computing its time limit from its accepted submissions (for at" + " most "
                            + BUDGET.toSeconds() + " s); try again then, or give limits.time_limit in problem.yaml",
                    Duration.ofSeconds(Math.max(
                            1, Duration.between(clock.instant(), busyUntil).toSeconds() + 1)));
        }
        try {
            Instant deadline = clock.instant().plus(BUDGET);
            busyUntil = deadline;
            return problem.checker() instanceof CheckerSpec.Custom validator && validator.talksOrPasses()
                    ? calibrateWithValidator(read, validator, runnable, deadline, caller)
                    : calibrate(read, runnable, deadline, caller);
        } finally {
            running.release();
        }
    }

    private Problem calibrate(
            KattisPackage.Read read, List<KattisPackage.AcceptedSubmission> runnable, Instant deadline, String caller) {
        Problem problem = read.problem();
        List<TestCase> tests = problem.tests();
        Slowest slowest = new Slowest();
        List<String> leftOut = new ArrayList<>();
        submissions:
        for (KattisPackage.AcceptedSubmission submission : runnable) {
            Slowest own = new Slowest();
            int from = 0;
            int size = 1; // a first call of one test finds a submission that fails at its cheapest
            while (from < tests.size()) {
                int fit = testsThatFit(deadline);
                if (fit < 1) {
                    throw new InvalidPackageException(
                            "the accepted submissions take more than the " + BUDGET.toSeconds()
                                    + " s an import may take to run them, to compute the time limit; give limits.time_limit"
                                    + " in problem.yaml");
                }
                List<TestCase> chunk = tests.subList(from, Math.min(tests.size(), from + Math.min(size, fit)));
                ExecutionResult result =
                        run(problem, submission, chunk, caller, deadline.minus(worstCall(chunk.size())), deadline);
                StageResult compile = result == null ? null : result.compile();
                if (result == null || compile != null && !compile.succeeded()) {
                    leftOut.add(submission.path() + " (does not compile here)");
                    continue submissions;
                }
                for (int i = 0; i < chunk.size(); i++) {
                    StageResult run = i < result.runs().size() ? result.runs().get(i) : null;
                    if (run != null && run.status() == StageStatus.TO) {
                        throw tooSlow(
                                submission,
                                chunk.get(i).name(),
                                PROBE_CPU.toSeconds() + " s of CPU time (" + PROBE_WALL.toSeconds()
                                        + " s of wall time)");
                    }
                    if (run == null || !run.succeeded()) {
                        leftOut.add(submission.path() + " (" + (run == null ? "did not run" : run.status()) + " on "
                                + chunk.get(i).name() + ")");
                        continue submissions;
                    }
                    own.offer(run.cpuTimeMs(), submission.path(), chunk.get(i).name());
                }
                from += chunk.size();
                size = Math.min(MAX_TESTS_PER_CALL, 2 * size);
            }
            slowest.offer(own.ms, own.submission, own.test);
        }
        return conclude(read, slowest, leftOut);
    }

    /** The slowest run so far: its CPU time, submission and test; none yet while {@code submission} is null. */
    private static final class Slowest {
        long ms = -1;
        String submission;
        String test;

        void offer(long ms, String submission, String test) {
            if (submission != null && ms > this.ms) {
                this.ms = ms;
                this.submission = submission;
                this.test = test;
            }
        }
    }

    /** The limit of the slowest run, by the package's rule; the default when none ran. */
    private static Problem conclude(KattisPackage.Read read, Slowest slowestRun, List<String> leftOut) {
        long slowestMs = slowestRun.ms;
        String slowestSubmission = slowestRun.submission;
        String slowestTest = slowestRun.test;
        Problem problem = read.problem();
        String notes = leftOut.isEmpty() ? "" : "; left out, as they failed here: " + String.join(", ", leftOut);
        if (slowestSubmission == null) {
            return problem.withTimeLimit(
                    problem.timeLimit(),
                    KattisPackage.DEFAULT_SOURCE + " "
                            + problem.timeLimit().toMillis() / 1000.0
                            + " s: the package gives no time limit and none of its"
                            + " accepted submissions ran here" + notes);
        }
        Duration slowest = Duration.ofMillis(Math.max(0, slowestMs));
        return problem.withTimeLimit(
                read.rule().limitFor(slowest), read.rule().explain(slowest, slowestSubmission, slowestTest) + notes);
    }

    /**
     * An interactive or multi-pass problem's limit: each accepted submission is judged on every
     * test with the problem's output validator, as a worker judges a submission with inline tests
     * and that validator as its checker ({@link ExecutionService#judgeInBackground}), under
     * {@link #PROBE_CPU} of CPU time a run; a test's time is its passes' most CPU time. One call a
     * submission, started while {@link #WITH_VALIDATOR_CALL} is left of the budget: the worker
     * stops starting tests in time (they are TLE "not run"). A submission that does not compile,
     * or gets another verdict than AC on a test (the validator's too: its answer is checked
     * here), is left out; one that runs past the probe refuses the package, as for any problem.
     */
    private Problem calibrateWithValidator(
            KattisPackage.Read read,
            CheckerSpec.Custom validator,
            List<KattisPackage.AcceptedSubmission> runnable,
            Instant deadline,
            String caller) {
        Problem problem = read.problem();
        Slowest slowest = new Slowest();
        List<String> leftOut = new ArrayList<>();
        submissions:
        for (KattisPackage.AcceptedSubmission submission : runnable) {
            if (clock.instant().isAfter(deadline.minus(WITH_VALIDATOR_CALL))) {
                leftOut.add(submission.path() + " (no time left of the " + BUDGET.toSeconds() + " s to run it)");
                continue;
            }
            Judgement judgement;
            try {
                judgement = execution.judgeInBackground(
                        new Submission(
                                UUID.randomUUID().toString(),
                                null,
                                null,
                                caller,
                                submission.language(),
                                "*",
                                submission.files(),
                                problem.tests(),
                                validator,
                                clock.instant()),
                        PROBE_CPU,
                        problem.memoryLimitBytes(),
                        problem.outputLimitBytes(),
                        caller,
                        deadline.minus(WITH_VALIDATOR_CALL),
                        deadline);
            } catch (UnsupportedOperationException e) {
                return problem.withTimeLimit(
                        problem.timeLimit(),
                        KattisPackage.DEFAULT_SOURCE + " " + problem.timeLimit().toMillis() / 1000.0
                                + " s: the package gives no time limit, and its accepted submissions run only with"
                                + " its output validator, which needs a worker (execution=queue)");
            } catch (BusyException e) {
                throw busy();
            } catch (InvalidRequestException e) {
                // refused before it ran: its files, or the tests too large for one message
                leftOut.add(submission.path() + " (not run: " + e.getMessage() + ")");
                continue;
            }
            if (judgement.verdict() == Verdict.CE) {
                leftOut.add(submission.path() + " (does not compile here)");
                continue;
            }
            Slowest own = new Slowest();
            for (TestResult test : judgement.tests()) {
                // The worker's budget ran out before it: "not run: the judging's time budget ..."
                // (a hidden test's message is with the judge's)
                String why = test.message() != null ? test.message() : test.judgeMessage();
                boolean cut = why != null && why.startsWith("not run");
                if (test.verdict() == Verdict.TLE && !cut) {
                    throw tooSlow(submission, test.testName(), PROBE_CPU.toSeconds() + " s of CPU time");
                }
                if (test.verdict() != Verdict.AC) {
                    leftOut.add(submission.path() + " (" + (cut ? "not run in time" : test.verdict()) + " on "
                            + test.testName() + ")");
                    continue submissions;
                }
                own.offer(test.timeMs(), submission.path(), test.testName());
            }
            if (judgement.tests().size() < problem.tests().size()) {
                leftOut.add(submission.path() + " (" + judgement.verdict() + ")");
                continue;
            }
            slowest.offer(own.ms, own.submission, own.test);
        }
        return conclude(read, slowest, leftOut);
    }

    private static InvalidPackageException tooSlow(
            KattisPackage.AcceptedSubmission submission, String test, String within) {
        return new InvalidPackageException(submission.path() + " (accepted) did not finish " + test + " within "
                + within + " at import, to compute the time limit; problemtools fails a package whose accepted"
                + " submission is too slow: give limits.time_limit in problem.yaml");
    }

    private static BusyException busy() {
        return new BusyException(
                "the workers did not run the accepted submissions within the " + BUDGET.toSeconds()
                        + " s an import may take, to compute the time limit (they are busy judging); try again later, or"
                        + " give limits.time_limit in problem.yaml",
                Duration.ofSeconds(60));
    }

    /** The most a call of {@code tests} tests takes: its compile, each run, and the slack around them. */
    static Duration worstCall(int tests) {
        return COMPILE_WALL.plus(CALL_SLACK).plus(PROBE_WALL.plus(RUN_SLACK).multipliedBy(tests));
    }

    /** How many tests a call started now can run and still end by {@code deadline}, at worst. */
    private int testsThatFit(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline).minus(worstCall(0));
        long perTest = PROBE_WALL.plus(RUN_SLACK).toMillis();
        return left.isNegative() ? 0 : (int) Math.min(MAX_TESTS_PER_CALL, left.toMillis() / perTest);
    }

    private ExecutionResult run(
            Problem problem,
            KattisPackage.AcceptedSubmission submission,
            List<TestCase> tests,
            String caller,
            Instant startBy,
            Instant answerBy) {
        LimitRequest compileLimits = new LimitRequest(COMPILE_WALL, COMPILE_WALL, null, null);
        LimitRequest limits =
                new LimitRequest(PROBE_CPU, PROBE_WALL, problem.memoryLimitBytes(), problem.outputLimitBytes(), true);
        List<RunInput> inputs = new ArrayList<>();
        for (TestCase test : tests) {
            inputs.add(new RunInput(test.input(), List.of()));
        }
        try {
            return execution.executeInBackground(
                    new ExecutionRequest(
                            submission.language(), "*", submission.files(), null, compileLimits, limits, inputs, true),
                    caller,
                    startBy,
                    answerBy);
        } catch (InvalidRequestException e) {
            return null; // a file name or size the executor refuses: left out
        } catch (BusyException e) {
            throw busy();
        }
    }
}
