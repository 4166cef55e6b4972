package io.codingengine.worker.judge;

import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.Program;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges tests of an interactive or multi-pass problem, as the Kattis problem package format and
 * its reference runners (problemtools' interactive runner, DOMjudge's runpipe) do: one executor
 * call runs the submission and the output validator (see {@link InteractionRequest}), and each
 * test's verdict follows from its passes.
 * <ul>
 *   <li>A pass of an interactive test: a validator that did not end with 42 or 43 is the judge's
 *       failure (IE), whatever the submission did; a validator that rejected (43) before the
 *       submission ended gives WA, whatever the submission did next; otherwise a submission over
 *       its time, memory or output limit, or ended by a signal or a non-zero exit code, gives
 *       TLE, MLE, OLE or RE ({@code SIGPIPE}, from writing to a validator that had left, counts
 *       as a normal end: the validator decides); otherwise the validator's word: 42 AC, 43 WA
 *       (so a submission that ends early while the validator waits for more gets WA).</li>
 *   <li>A pass of a test that is not interactive: the submission's run as for any problem, then
 *       the validator on its output.</li>
 *   <li>Passes: a pass that is not AC decides the test, unless the validator wrote
 *       {@code nextpass.in} all the same (IE); an AC pass without {@code nextpass.in} accepts the
 *       test; one with it is followed by the next pass, and on the last pass the package allows
 *       it is the judge's error (IE).</li>
 * </ul>
 * What participants may read of a test is what a custom checker gives them: its
 * {@code teammessage.txt} and the run's own message, and for a visible test the interaction
 * (or the last pass's output). The judge message, for admins only, has the validator's
 * {@code judgemessage.txt}, how each side ended and which first, the validator's standard error,
 * and the transcript of the interaction, cut at {@link #TRANSCRIPT_SHOWN} characters.
 */
final class InteractionJudging {

    /** Bytes of each interactive pass's traffic the executor records. */
    static final long TRANSCRIPT_BYTES = 16 * 1024;
    /** Characters of the transcripts a judge message keeps. */
    static final int TRANSCRIPT_SHOWN = 8000;
    /** The validator's own limits (the judge's, not the contestant's); an interactive one's wall time outlasts the submission's. */
    static final LimitRequest VALIDATOR_LIMITS = CustomChecker.LIMITS;
    /** Wall time an interactive validator gets beyond the submission's. */
    static final Duration VALIDATOR_WALL_MARGIN = Duration.ofSeconds(5);
    /** The executor's longest wall time. */
    static final Duration MAX_WALL = Duration.ofSeconds(60);

    private final Executor executor;

    InteractionJudging(Executor executor) {
        this.executor = executor;
    }

    /** Whether {@code checker} is judged here rather than after each run. */
    static boolean judges(CheckerSpec checker) {
        return checker instanceof CheckerSpec.Custom custom && custom.talksOrPasses();
    }

    /** The validator's limits for a submission run under {@code runLimits}. */
    static LimitRequest validatorLimits(CheckerSpec.Custom validator, LimitRequest runLimits) {
        Duration wall = VALIDATOR_LIMITS.wallTime();
        if (validator.interacts()) {
            Duration outlasting = runLimits.wallTime().plus(VALIDATOR_WALL_MARGIN);
            wall = outlasting.compareTo(wall) > 0 ? outlasting : wall;
            wall = wall.compareTo(MAX_WALL) > 0 ? MAX_WALL : wall;
        }
        return new LimitRequest(
                VALIDATOR_LIMITS.cpuTime(), wall, VALIDATOR_LIMITS.memoryBytes(), VALIDATOR_LIMITS.outputBytes(), true);
    }

    /** The most wall time one test may take: every pass's submission and validator one after the other. */
    static long worstWallMs(CheckerSpec.Custom validator, LimitRequest runLimits) {
        return validator.passLimit()
                * (runLimits.wallTime().toMillis()
                        + validatorLimits(validator, runLimits).wallTime().toMillis());
    }

    /** The most heap one test's results may take while its call is judged. */
    static long heapOf(TestCase test, CheckerSpec.Custom validator, LimitRequest runLimits) {
        long perPass = Judge.HEAP_PER_OUTPUT_BYTE * (runLimits.outputBytes() + VALIDATOR_LIMITS.outputBytes())
                + 2 * TRANSCRIPT_BYTES;
        return validator.passLimit() * perPass
                + 4L * (test.input().length() + test.expectedOutput().length());
    }

    /**
     * One test's outcome.
     *
     * @param run the submission's run as the test's result shows it: the deciding pass's status,
     *            the most CPU time and memory of any pass, the wall time of all
     */
    record Judged(Verdict verdict, StageResult run, String shown, String message, String judgeMessage) {}

    /**
     * A call's outcomes.
     *
     * @param execution      the submission's compile and one run per test (for the judgement's
     *                       compile stage and the audit); {@code compileFailed()} when it did not
     *                       compile, and then there are no outcomes
     * @param tests          one per test, in order
     * @param wallTimeMs     the wall time the call's passes took (sides at once counted once)
     * @param sandboxFailure why the sandbox failed under a pass, or null
     */
    record Call(ExecutionResult execution, List<Judged> tests, long wallTimeMs, String sandboxFailure) {}

    /** Judges {@code tests} in one executor call. */
    Call call(
            Submission submission,
            List<TestCase> tests,
            CheckerSpec.Custom validator,
            LimitRequest runLimits,
            int shownPerTest) {
        InteractionRequest request = new InteractionRequest(
                new Program(submission.language(), submission.version(), submission.files(), Map.of(), null, runLimits),
                new Program(
                        validator.language(),
                        validator.version(),
                        validator.files(),
                        Map.of(),
                        null,
                        validatorLimits(validator, runLimits)),
                validator.interacts(),
                validator.passLimit(),
                tests.stream()
                        .map(t -> new InteractionRequest.Test(t.input(), t.expectedOutput(), List.of()))
                        .toList(),
                TRANSCRIPT_BYTES,
                true);
        InteractionResult result = executor.interact(request);
        List<Judged> judged = new ArrayList<>();
        long wall = 0;
        if (!result.compileFailed()) {
            for (int i = 0; i < tests.size(); i++) {
                if (result.validatorCompileFailed()) {
                    judged.add(new Judged(
                            Verdict.IE,
                            idle(),
                            null,
                            "the checker failed",
                            "the checker did not compile: "
                                    + CustomChecker.clip(
                                            result.validatorCompile().output())));
                    continue;
                }
                InteractionResult.Test test = result.tests().get(i);
                judged.add(judge(test, tests.get(i), validator, shownPerTest));
                for (InteractionResult.Pass pass : test.passes()) {
                    long sub = pass.submission().wallTimeMs(),
                            val =
                                    pass.validator() == null
                                            ? 0
                                            : pass.validator().wallTimeMs();
                    wall += validator.interacts() ? Math.max(sub, val) : sub + val;
                }
            }
        }
        ExecutionResult execution = new ExecutionResult(
                result.language(),
                result.version(),
                result.compile(),
                judged.stream().map(Judged::run).toList(),
                result.session());
        return new Call(execution, judged, wall, result.sandboxFailure());
    }

    private static StageResult idle() {
        return new StageResult("", "", "", null, null, null, null, 0, 0, 0);
    }

    /** A pass's verdict and why, for the judge message. */
    private record PassVerdict(Verdict verdict, String why) {}

    private Judged judge(
            InteractionResult.Test test, TestCase testCase, CheckerSpec.Custom validator, int shownPerTest) {
        List<InteractionResult.Pass> passes = test.passes();
        Verdict verdict = null;
        String why = null;
        int deciding = passes.size() - 1;
        for (int p = 0; p < passes.size() && verdict == null; p++) {
            InteractionResult.Pass pass = passes.get(p);
            PassVerdict v = validator.interacts() ? interactive(pass) : oneAfterTheOther(pass);
            deciding = p;
            if (v.verdict() != Verdict.AC) {
                verdict = pass.nextPass() ? Verdict.IE : v.verdict();
                why = pass.nextPass()
                        ? "the validator wrote nextpass.in but did not accept (exit " + code(pass) + ")"
                        : v.why();
            } else if (!pass.nextPass()) {
                verdict = Verdict.AC;
            } else if (p + 1 >= validator.passLimit()) {
                verdict = Verdict.IE;
                why = "the validator asked for a pass after the last of " + validator.passLimit()
                        + " (limits.validation_passes)";
            }
        }
        if (verdict == null) {
            verdict = Verdict.IE;
            why = "the passes ended without a verdict";
        }
        InteractionResult.Pass last = passes.get(deciding);
        StageResult run = combined(passes, last.submission());
        // What the submitter may read: the validator's team message, else the run's own (its exit code, a limit).
        String message = test.teamMessage() != null && !test.teamMessage().isBlank()
                ? CustomChecker.clip(test.teamMessage().strip())
                : verdict == Verdict.IE
                        ? "the checker failed"
                        : Judge.runVerdict(last.submission()) != null && verdict != Verdict.WA
                                ? last.submission().message()
                                : null;
        String shown = testCase.visible() ? Judge.shown(shownOf(passes, validator.interacts()), shownPerTest) : null;
        return new Judged(verdict, run, shown, message, judgeMessage(test, why, validator));
    }

    /** An interactive pass, by the rules of the class's javadoc. */
    private static PassVerdict interactive(InteractionResult.Pass pass) {
        StageResult sub = pass.submission(), val = pass.validator();
        if (sub.status() == StageStatus.XX || val == null || val.status() == StageStatus.XX) {
            return new PassVerdict(Verdict.IE, "the sandbox failed");
        }
        if (sub.status() == StageStatus.OL) {
            // Cut off at its output limit: the validator got no more, so what it made of that (even
            // a failure) is not the judge's. Flooding a validator can never be a free internal error.
            return new PassVerdict(Verdict.OLE, sub.message());
        }
        if (!answered(val)) {
            return new PassVerdict(Verdict.IE, validatorFailure(val));
        }
        if (val.code() == CustomChecker.REJECT && pass.firstEnded() == InteractionResult.Side.VALIDATOR) {
            return new PassVerdict(Verdict.WA, "the validator rejected before the submission ended");
        }
        Verdict own = pass.submissionStopped() || "SIGPIPE".equals(sub.signal()) ? null : Judge.runVerdict(sub);
        if (own != null) {
            return new PassVerdict(
                    own,
                    "the submission "
                            + (pass.firstEnded() == InteractionResult.Side.SUBMISSION
                                    ? "ended first: "
                                    : "ended after the validator accepted: ")
                            + sub.message());
        }
        return val.code() == CustomChecker.ACCEPT
                ? new PassVerdict(Verdict.AC, null)
                : new PassVerdict(Verdict.WA, "the validator rejected after the submission ended");
    }

    /** A pass that is not interactive: the run, then the validator on its output. */
    private static PassVerdict oneAfterTheOther(InteractionResult.Pass pass) {
        StageResult sub = pass.submission(), val = pass.validator();
        Verdict own = Judge.runVerdict(sub);
        if (own != null) {
            return new PassVerdict(own, "the submission: " + sub.message());
        }
        if (val == null || val.status() == StageStatus.XX) {
            return new PassVerdict(Verdict.IE, "the sandbox failed");
        }
        if (!answered(val)) {
            return new PassVerdict(Verdict.IE, validatorFailure(val));
        }
        return val.code() == CustomChecker.ACCEPT
                ? new PassVerdict(Verdict.AC, null)
                : new PassVerdict(Verdict.WA, null);
    }

    private static boolean answered(StageResult validator) {
        return validator.code() != null
                && (validator.code() == CustomChecker.ACCEPT || validator.code() == CustomChecker.REJECT);
    }

    private static String validatorFailure(StageResult val) {
        return val.code() != null
                ? "the validator exited with code " + val.code()
                : "the validator did not exit normally: " + val.status() + " (" + val.message() + ")"
                        + (val.signal() == null ? "" : ", " + val.signal());
    }

    private static String code(InteractionResult.Pass pass) {
        return pass.validator() == null
                ? "none"
                : String.valueOf(pass.validator().code());
    }

    /** The test's run as its result shows it: {@code deciding}'s end, the most CPU and memory of any pass. */
    private static StageResult combined(List<InteractionResult.Pass> passes, StageResult deciding) {
        long cpu = 0, wall = 0, memory = 0;
        for (InteractionResult.Pass pass : passes) {
            cpu = Math.max(cpu, pass.submission().cpuTimeMs());
            memory = Math.max(memory, pass.submission().memoryBytes());
            wall += pass.submission().wallTimeMs();
        }
        return new StageResult(
                "",
                "",
                "",
                deciding.code(),
                deciding.signal(),
                deciding.status(),
                deciding.message(),
                cpu,
                wall,
                memory);
    }

    /** What a visible test shows as the program's output: the interaction, or the last pass's output. */
    private static String shownOf(List<InteractionResult.Pass> passes, boolean interactive) {
        if (!interactive) {
            return passes.getLast().submission().stdout();
        }
        StringBuilder out = new StringBuilder();
        for (int p = 0; p < passes.size(); p++) {
            if (passes.size() > 1) {
                out.append("[pass ").append(p + 1).append("]\n");
            }
            out.append(dialogue(passes.get(p)));
        }
        return out.toString();
    }

    /**
     * A pass's transcript in the {@code .interaction} format of the problem package format: lines
     * the submission wrote begin with {@code >}, lines it read with {@code <}.
     */
    static String dialogue(InteractionResult.Pass pass) {
        StringBuilder out = new StringBuilder();
        for (InteractionResult.Message m : pass.transcript()) {
            String mark = m.from() == InteractionResult.Side.SUBMISSION ? ">" : "<";
            String text = m.text();
            for (int at = 0; at < text.length(); ) {
                int end = text.indexOf('\n', at);
                out.append(mark).append(text, at, end < 0 ? text.length() : end).append('\n');
                at = end < 0 ? text.length() : end + 1;
            }
        }
        if (pass.transcriptCut()) {
            out.append("… [the rest of the interaction was not recorded]\n");
        }
        return out.toString();
    }

    private static String judgeMessage(InteractionResult.Test test, String why, CheckerSpec.Custom validator) {
        List<String> parts = new ArrayList<>();
        if (test.judgeMessage() != null && !test.judgeMessage().isBlank()) {
            parts.add(FeedbackShim.JUDGE_MESSAGE + ": "
                    + CustomChecker.clip(test.judgeMessage().strip()));
        }
        if (why != null) {
            parts.add(why);
        }
        List<InteractionResult.Pass> passes = test.passes();
        StringBuilder transcripts = new StringBuilder();
        for (int p = 0; p < passes.size(); p++) {
            InteractionResult.Pass pass = passes.get(p);
            String prefix = passes.size() > 1 ? "pass " + (p + 1) + ": " : "";
            StageResult val = pass.validator();
            String ends = val == null
                    ? "the validator did not run"
                    : "the validator ended "
                            + (val.code() != null ? "with " + val.code() : val.status() + " " + val.message())
                            + (pass.firstEnded() == null
                                    ? ""
                                    : pass.firstEnded() == InteractionResult.Side.VALIDATOR
                                            ? ", first"
                                            : ", after the submission")
                            + "; the submission "
                            + (pass.submissionStopped()
                                    ? "was stopped"
                                    : pass.submission().succeeded()
                                            ? "exited with 0"
                                            : pass.submission().message());
            parts.add(prefix + ends);
            if (val != null && !val.stderr().isBlank()) {
                parts.add(prefix + "the validator's standard error: "
                        + CustomChecker.clip(val.stderr().strip()));
            }
            if (val != null && !validator.interacts() && !val.stdout().isBlank()) {
                parts.add(prefix + "the validator's standard output: "
                        + CustomChecker.clip(val.stdout().strip()));
            }
            if (validator.interacts()) {
                transcripts
                        .append(passes.size() > 1 ? "[pass " + (p + 1) + "]\n" : "")
                        .append(dialogue(pass));
            }
        }
        if (!transcripts.isEmpty()) {
            parts.add("interaction:\n" + Judge.shown(transcripts.toString(), TRANSCRIPT_SHOWN));
        }
        return String.join("\n", parts);
    }
}
