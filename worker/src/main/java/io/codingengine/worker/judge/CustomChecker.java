package io.codingengine.worker.judge;

import io.codingengine.common.execution.ExecutionRequest;
import io.codingengine.common.execution.ExecutionResult;
import io.codingengine.common.execution.Executor;
import io.codingengine.common.execution.LimitRequest;
import io.codingengine.common.execution.RunInput;
import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.TestCase;
import io.codingengine.common.judge.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Runs a checker program in the sandbox, Kattis output-validator style: started as
 * {@code checker <input> <answer> <feedback-dir>} with the program's output on stdin; exit code
 * 42 accepts, 43 rejects, anything else is the checker's failure. Each test has its own empty
 * feedback directory; {@code teammessage.txt} written there is what the team may read (for a
 * visible test), {@code judgemessage.txt}, the checker's standard output and error and its exit
 * are for judges only ({@link FeedbackShim} brings the files back). One executor call compiles
 * the checker once and checks every output; the tests' files travel as data files of that call.
 */
final class CustomChecker {

    static final int ACCEPT = 42;
    static final int REJECT = 43;
    /** Characters kept of each part of a judge message (a hidden test's may be stored by the thousand). */
    static final int CLIP = 2000;
    /** Limits of each checker run: its CPU and wall time, memory, and output per stream. */
    static final LimitRequest LIMITS =
            new LimitRequest(Duration.ofSeconds(10), Duration.ofSeconds(20), 512L << 20, 64L * 1024);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Executor executor;

    CustomChecker(Executor executor) {
        this.executor = executor;
    }

    /**
     * One test's checking.
     *
     * @param verdict      AC, WA, or IE when the checker failed (crashed, other exit code, a limit)
     * @param message      what the submitter may read of a visible test: the checker's
     *                     {@code teammessage.txt}, or that the checker failed; or {@code null}
     * @param judgeMessage for judges only: {@code judgemessage.txt}, how the checker ended, its
     *                     standard output and error; or {@code null}
     * @param score        an accepting checker's {@code score.txt}, or {@code null}
     * @param scoreMultiplier an accepting checker's {@code score_multiplier.txt}, or {@code null}
     */
    record Check(Verdict verdict, String message, String judgeMessage, Double score, Double scoreMultiplier) {
        Check(Verdict verdict, String message, String judgeMessage) {
            this(verdict, message, judgeMessage, null, null);
        }
    }

    /**
     * The checker's word on each test, in order, why its sandbox failed when it did
     * ({@link ExecutionResult#sandboxFailure}), else null, and the wall time its runs took
     * (summed; the judging's time budget counts it).
     */
    record Checked(List<Check> checks, String sandboxFailure, long wallTimeMs) {}

    /** Runs the checker once over every output, in order. */
    Checked check(CheckerSpec.Custom checker, List<TestCase> tests, List<String> outputs) {
        return check(
                checker,
                tests,
                outputs,
                tests.stream().map(t -> List.<String>of()).toList());
    }

    /**
     * Runs the checker once over every output, in order, each run given the test's
     * {@code arguments} after its input, answer and feedback directory.
     */
    Checked check(
            CheckerSpec.Custom checker, List<TestCase> tests, List<String> outputs, List<List<String>> arguments) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        String marker = "ce-feedback-" + HexFormat.of().formatHex(nonce);
        FeedbackShim.Program program = FeedbackShim.wrap(checker, marker);
        List<SourceFile> files = new ArrayList<>(program.files());
        List<RunInput> runs = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            String in = "tests/" + i + ".in", ans = "tests/" + i + ".ans";
            files.add(data(in, tests.get(i).input()));
            files.add(data(ans, tests.get(i).expectedOutput()));
            List<String> args = new ArrayList<>(List.of(in, ans, program.collects() ? "feedback-" + i : "."));
            args.addAll(arguments.get(i));
            runs.add(new RunInput(outputs.get(i), args));
        }
        ExecutionResult result = executor.execute(
                new ExecutionRequest(checker.language(), checker.version(), files, Map.of(), null, LIMITS, runs));
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            checks.add(
                    result.compileFailed()
                            ? new Check(
                                    Verdict.IE,
                                    "the checker failed",
                                    "the checker did not compile: "
                                            + clip(result.compile().output()))
                            : check(result.runs().get(i), program.collects() ? marker : null));
        }
        return new Checked(
                checks,
                result.sandboxFailure(),
                result.runs().stream().mapToLong(StageResult::wallTimeMs).sum());
    }

    private static Check check(StageResult run, String marker) {
        FeedbackShim.Feedback feedback = marker == null
                ? new FeedbackShim.Feedback(run.stdout(), null, null, false)
                : FeedbackShim.read(run.stdout(), marker);
        boolean answered = run.code() != null && (run.code() == ACCEPT || run.code() == REJECT);
        List<String> judge = new ArrayList<>();
        part(judge, FeedbackShim.JUDGE_MESSAGE, feedback.judgeMessage());
        if (!answered) {
            judge.add(
                    run.code() != null
                            ? "the checker exited with code " + run.code()
                            : "the checker did not exit normally: " + run.status() + " (" + run.message() + ")"
                                    + (run.signal() == null ? "" : ", " + run.signal()));
        }
        part(judge, "its standard output", feedback.stdout());
        part(judge, "its standard error", run.stderr());
        String judgeMessage = judge.isEmpty() ? null : String.join("\n", judge);
        String team = feedback.teamMessage() == null || feedback.teamMessage().isBlank()
                ? null
                : clip(feedback.teamMessage().strip());
        if (run.code() != null && run.code() == ACCEPT) {
            Double score, multiplier;
            try {
                score = number(feedback.score(), FeedbackShim.SCORE);
                multiplier = number(feedback.scoreMultiplier(), FeedbackShim.SCORE_MULTIPLIER);
            } catch (IllegalArgumentException e) {
                return new Check(
                        Verdict.IE,
                        "the checker failed",
                        (judgeMessage == null ? "" : judgeMessage + "\n") + e.getMessage());
            }
            return new Check(Verdict.AC, team, judgeMessage, score, multiplier);
        }
        if (run.code() != null && run.code() == REJECT) {
            return new Check(Verdict.WA, team, judgeMessage);
        }
        return new Check(Verdict.IE, "the checker failed", judgeMessage);
    }

    /** A score file's number: one finite, non-negative float; {@code null} when not written. */
    static Double number(String text, String file) {
        if (text == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (Double.isFinite(value) && value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(
                "the checker's " + file + " does not hold one non-negative number: \"" + clip(text.strip()) + "\"");
    }

    private static void part(List<String> parts, String name, String text) {
        if (text != null && !text.isBlank()) {
            parts.add(name + ": " + clip(text.strip()));
        }
    }

    static String clip(String s) {
        return s.length() > CLIP ? s.substring(0, CLIP) + "…" : s;
    }

    // Data files are base64 so that no language treats them as source code.
    private static SourceFile data(String name, String text) {
        return new SourceFile(
                name,
                Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)),
                SourceFile.Encoding.BASE64);
    }
}
