package io.codingengine.api.judge;

import io.codingengine.api.execution.ExecutionService;
import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.RuntimeInfo;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.problem.InvalidPackageException;
import io.codingengine.common.problem.KattisPackage;
import io.codingengine.common.problem.Problem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Computes a problem's time limit at import, as problemtools does, when its package gives none:
 * each accepted submission ({@code submissions/accepted/}) in a language the engine runs is run
 * once on every test through the {@link ExecutionService} (the api's sandbox, or a worker's
 * through the queue: the same sandbox and CPU time accounting that judges), and the slowest run's
 * CPU time goes through the package's {@link io.codingengine.common.problem.TimeLimitRule}.
 * <p>
 * It runs inside the import request, bounded: at most {@link #BUDGET} of runs in all, each run at
 * most {@link #PROBE_CPU} of CPU. A package whose accepted submissions need more (the budget, or
 * a run past the probe's CPU time) is refused with a {@code 400} saying so: give it
 * {@code limits.time_limit}. A submission that does not compile here or fails a test otherwise (a
 * language version the engine does not have, a crash) is left out, and the limit says which were;
 * outputs are not checked here (the judge checks them when the submissions are submitted). A
 * package with no accepted submission that runs here keeps the default limit, and says so.
 */
final class TimeLimitCalibration {

    static final Duration BUDGET = Duration.ofMinutes(2);
    static final Duration PROBE_CPU = Duration.ofSeconds(10);
    /** Tests run in one executor call. */
    static final int TESTS_PER_CALL = 16;

    private final ExecutionService execution;
    private final Clock clock;

    TimeLimitCalibration(ExecutionService execution, Clock clock) {
        this.execution = execution;
        this.clock = clock;
    }

    /** The problem of {@code read}, its time limit computed when the package asks for that. */
    Problem apply(KattisPackage.Read read, String caller) {
        Problem problem = read.problem();
        if (read.rule() == null) {
            return problem;
        }
        Set<String> languages = execution.runtimes().stream().map(RuntimeInfo::language).collect(Collectors.toSet());
        List<KattisPackage.AcceptedSubmission> runnable = read.accepted().stream()
                .filter(s -> s.language() != null && languages.contains(s.language())).toList();
        if (runnable.isEmpty()) {
            return problem.withTimeLimit(problem.timeLimit(), KattisPackage.DEFAULT_SOURCE + " "
                    + problem.timeLimit().toMillis() / 1000.0 + " s: the package gives no time limit and has no accepted"
                    + " submission in a language the engine runs");
        }
        Instant deadline = clock.instant().plus(BUDGET);
        List<TestCase> tests = problem.tests();
        long slowestMs = -1;
        String slowestSubmission = null;
        String slowestTest = null;
        List<String> leftOut = new ArrayList<>();
        submissions:
        for (KattisPackage.AcceptedSubmission submission : runnable) {
            long ownSlowestMs = -1;
            String ownSlowestTest = null;
            for (int from = 0; from < tests.size(); from += TESTS_PER_CALL) {
                if (clock.instant().isAfter(deadline)) {
                    throw new InvalidPackageException("the accepted submissions took more than " + BUDGET.toSeconds()
                            + " s to run at import, to compute the time limit; give limits.time_limit in problem.yaml");
                }
                List<TestCase> chunk = tests.subList(from, Math.min(tests.size(), from + TESTS_PER_CALL));
                ExecutionResult result = run(problem, submission, chunk, caller);
                StageResult compile = result == null ? null : result.compile();
                if (result == null || compile != null && !compile.succeeded()) {
                    leftOut.add(submission.path() + " (does not compile here)");
                    continue submissions;
                }
                for (int i = 0; i < chunk.size(); i++) {
                    StageResult run = i < result.runs().size() ? result.runs().get(i) : null;
                    if (run != null && run.cpuTimeMs() >= PROBE_CPU.toMillis()) {
                        throw new InvalidPackageException(submission.path() + " (accepted) ran " + PROBE_CPU.toSeconds()
                                + " s of CPU time on " + chunk.get(i).name() + " at import, to compute the time limit,"
                                + " and was stopped; give limits.time_limit in problem.yaml");
                    }
                    if (run == null || !run.succeeded()) {
                        leftOut.add(submission.path() + " (" + (run == null ? "did not run" : run.status()) + " on "
                                + chunk.get(i).name() + ")");
                        continue submissions;
                    }
                    if (run.cpuTimeMs() > ownSlowestMs) {
                        ownSlowestMs = run.cpuTimeMs();
                        ownSlowestTest = chunk.get(i).name();
                    }
                }
            }
            if (ownSlowestMs > slowestMs) {
                slowestMs = ownSlowestMs;
                slowestSubmission = submission.path();
                slowestTest = ownSlowestTest;
            }
        }
        String notes = leftOut.isEmpty() ? "" : "; left out, as they failed here: " + String.join(", ", leftOut);
        if (slowestSubmission == null) {
            return problem.withTimeLimit(problem.timeLimit(), KattisPackage.DEFAULT_SOURCE + " "
                    + problem.timeLimit().toMillis() / 1000.0 + " s: the package gives no time limit and none of its"
                    + " accepted submissions ran here" + notes);
        }
        Duration slowest = Duration.ofMillis(Math.max(0, slowestMs));
        return problem.withTimeLimit(read.rule().limitFor(slowest),
                read.rule().explain(slowest, slowestSubmission, slowestTest) + notes);
    }

    private ExecutionResult run(Problem problem, KattisPackage.AcceptedSubmission submission, List<TestCase> tests,
                                String caller) {
        LimitRequest limits = new LimitRequest(PROBE_CPU, PROBE_CPU.multipliedBy(2).plusSeconds(1),
                problem.memoryLimitBytes(), problem.outputLimitBytes(), true);
        List<RunInput> inputs = new ArrayList<>();
        for (TestCase test : tests) {
            inputs.add(new RunInput(test.input(), List.of()));
        }
        try {
            return execution.execute(new ExecutionRequest(submission.language(), "*", submission.files(), null, null,
                    limits, inputs, true), caller);
        } catch (InvalidRequestException e) {
            return null; // a file name or size the executor refuses: left out
        }
    }

}
