package io.codingengine.executor;

import io.codingengine.common.execution.InteractionRequest;
import io.codingengine.common.execution.InteractionResult;
import io.codingengine.common.execution.InvalidRequestException;
import io.codingengine.common.execution.RequestTooLargeException;
import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.executor.sandbox.Box;
import io.codingengine.executor.sandbox.PairOutcome;
import io.codingengine.executor.sandbox.RunFile;
import io.codingengine.executor.sandbox.RunOutcome;
import io.codingengine.executor.sandbox.RunSpec;
import io.codingengine.executor.sandbox.Sandbox;
import io.codingengine.executor.sandbox.UntrustedTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs an {@link InteractionRequest} (see its javadoc for what a pass is): the submission in a
 * slot's box, the output validator in that slot's companion box (another uid, its own limits),
 * each compiled once. Every pass of the validator gets a fresh work directory holding its program,
 * then {@value #INPUT} and {@value #ANSWER} (root's, read-only) and its feedback directory
 * {@value #FEEDBACK} (its own), with what the validator left there in the earlier passes of the
 * test (read back after each pass without following links, at most {@value #FEEDBACK_CARRIED}
 * bytes), so the feedback directory is kept across passes while nothing else is. A sandbox that
 * runs no interaction ({@link Sandbox#interactionRefusal()}: UID isolation) runs nothing of a
 * valid request: its result has a compile stage {@code XX} that says why.
 */
final class Interactions {

    /** The most passes a request may ask for. */
    static final int MAX_PASSES = 16;
    /** The most bytes of an interactive pass's traffic a request may have recorded. */
    static final long MAX_TRANSCRIPT_BYTES = 1 << 20;
    /** The validator's files of a pass, relative to its work directory. */
    static final String JUDGE_DIR = "judge";

    static final String INPUT = "judge/input";
    static final String ANSWER = "judge/answer";
    static final String FEEDBACK = "judge/feedback/";
    static final String NEXT_PASS = "nextpass.in";
    /** What a validator may keep in its feedback directory from pass to pass. */
    static final long FEEDBACK_CARRIED = 16L << 20;

    private final SandboxedExecutor executor;
    private final Sandbox sandbox;

    Interactions(SandboxedExecutor executor) {
        this.executor = executor;
        this.sandbox = executor.sandbox();
    }

    /**
     * @param interactiveLane whether a person waits for it (the interactive lane's work): its
     *                        submission's box may then take a slot kept for that lane
     */
    InteractionResult run(InteractionRequest request, boolean interactiveLane) {
        if (request.tests().isEmpty()) {
            throw new InvalidRequestException("at least one test is required");
        }
        if (request.passes() > MAX_PASSES) {
            throw new InvalidRequestException("passes cannot exceed " + MAX_PASSES);
        }
        if (request.transcriptBytes() > MAX_TRANSCRIPT_BYTES) {
            throw new InvalidRequestException("transcriptBytes cannot exceed " + MAX_TRANSCRIPT_BYTES);
        }
        if (request.tests().size() > executor.config().maxFiles()) {
            throw new RequestTooLargeException("at most " + executor.config().maxFiles() + " tests");
        }
        long data = request.tests().stream()
                .mapToLong(t -> (long) t.input().length() + t.answer().length())
                .sum();
        if (data > executor.config().maxSourceBytes()) {
            throw new RequestTooLargeException("the tests' inputs and answers cannot exceed "
                    + executor.config().maxSourceBytes() + " bytes");
        }
        var sub = request.submission();
        var val = request.validator();
        SandboxedExecutor.Prepared submission = executor.prepare(
                sub.language(), sub.version(), sub.files(), sub.options(), sub.compileLimits(), sub.runLimits());
        SandboxedExecutor.Prepared validator = executor.prepare(
                val.language(), val.version(), val.files(), val.options(), val.compileLimits(), val.runLimits());
        if (validator.layout().files().stream()
                .anyMatch(f -> f.path().equals(JUDGE_DIR) || f.path().startsWith(JUDGE_DIR + "/"))) {
            throw new InvalidRequestException("the validator's files cannot be in " + JUDGE_DIR + "/: it gets its"
                    + " input, answer and feedback directory there");
        }
        String language = submission.language().language();
        String version = submission.runtime().version().toString();
        String refusal = sandbox.interactionRefusal();
        if (refusal != null) {
            // Nothing runs here (UID isolation): the sandbox's failure, with why, which the caller
            // judges IE, or tries again where interactions run, rather than a submission's fault.
            StageResult refused = new StageResult("", "", refusal, null, null, StageStatus.XX, refusal, 0, 0, 0);
            return new InteractionResult(language, version, refused, null, List.of(), SandboxedExecutor.where());
        }
        long largestTest = request.tests().stream()
                .mapToLong(t -> (long) t.input().length() + t.answer().length())
                .max()
                .orElse(0);
        try (Box submissionBox = sandbox.open(submission.diskBytes(), submission.diskInodes(), interactiveLane);
                Box validatorBox = sandbox.openCompanion(
                        submissionBox,
                        validator.diskBytes() + 4 * largestTest + FEEDBACK_CARRIED,
                        validator.diskInodes() + 64)) {
            String where = SandboxedExecutor.where(submissionBox);
            StageResult compile = executor.build(submissionBox, submission, request.syntaxCheck());
            if (compile != null && !compile.succeeded()) {
                return new InteractionResult(language, version, compile, null, List.of(), where);
            }
            // The judge's program is checked like a submission: its syntax error is its compile error.
            StageResult validatorCompile = executor.build(validatorBox, validator, true);
            if (validatorCompile != null && !validatorCompile.succeeded()) {
                return new InteractionResult(language, version, compile, validatorCompile, List.of(), where);
            }
            List<InteractionResult.Test> tests = new ArrayList<>();
            for (InteractionRequest.Test test : request.tests()) {
                tests.add(test(request, submission, validator, submissionBox, validatorBox, test));
            }
            return new InteractionResult(language, version, compile, validatorCompile, tests, where);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a sandbox slot", e);
        }
    }

    private InteractionResult.Test test(
            InteractionRequest request,
            SandboxedExecutor.Prepared submission,
            SandboxedExecutor.Prepared validator,
            Box submissionBox,
            Box validatorBox,
            InteractionRequest.Test test) {
        byte[] input = test.input().getBytes(StandardCharsets.UTF_8);
        // Each side's standard error past its output limit: cut short, or the end of its run, as its limits say.
        boolean cutSubmissionStderr = request.submission().runLimits().cutStderr();
        boolean cutValidatorStderr = request.validator().runLimits().cutStderr();
        byte[] answer = test.answer().getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> feedback = new TreeMap<>();
        List<InteractionResult.Pass> passes = new ArrayList<>();
        List<String> validatorArgs = new ArrayList<>(List.of(INPUT, ANSWER, FEEDBACK));
        validatorArgs.addAll(test.validatorArgs());
        RunSpec validatorRun;
        for (int pass = 1; ; pass++) {
            List<RunFile> files = new ArrayList<>(List.of(
                    new RunFile(INPUT, input, false), new RunFile(ANSWER, answer, false), RunFile.directory(FEEDBACK)));
            feedback.forEach((path, content) -> files.add(new RunFile(FEEDBACK + path, content, true)));
            validatorRun = new RunSpec(
                    SandboxedExecutor.runCommand(validator, validatorArgs),
                    SandboxedExecutor.environment(),
                    new byte[0],
                    validator.runLimits(),
                    cutValidatorStderr,
                    files);
            StageResult submissionStage;
            StageResult validatorStage = null;
            InteractionResult.Side first;
            boolean stopped = false, cut = false;
            List<InteractionResult.Message> transcript = List.of();
            List<String> command = SandboxedExecutor.runCommand(submission, List.of());
            if (request.interactive()) {
                RunSpec submissionRun = new RunSpec(
                        command,
                        SandboxedExecutor.environment(),
                        new byte[0],
                        submission.runLimits(),
                        cutSubmissionStderr);
                PairOutcome pair = sandbox.interact(
                        submissionBox, submissionRun, validatorBox, validatorRun, request.transcriptBytes());
                stopped = pair.submissionStopped();
                submissionStage = StageMapper.map(pair.submission());
                if (stopped) {
                    submissionStage = new StageResult(
                            submissionStage.stdout(),
                            submissionStage.stderr(),
                            submissionStage.output(),
                            null,
                            "SIGKILL",
                            StageStatus.SG,
                            "Stopped: the validator had ended",
                            submissionStage.cpuTimeMs(),
                            submissionStage.wallTimeMs(),
                            submissionStage.memoryBytes());
                }
                if (pair.submissionFlooded()) {
                    // Past its output limit towards the validator, which got no more of it: the
                    // submission's fault whatever the validator made of its cut input.
                    submissionStage = new StageResult(
                            submissionStage.stdout(),
                            submissionStage.stderr(),
                            submissionStage.output(),
                            null,
                            submissionStage.signal(),
                            StageStatus.OL,
                            "stdout length exceeded: more than the output limit written to the validator",
                            submissionStage.cpuTimeMs(),
                            submissionStage.wallTimeMs(),
                            submissionStage.memoryBytes());
                }
                validatorStage = StageMapper.map(pair.validator());
                first = pair.validatorFirst() == null
                        ? null
                        : pair.validatorFirst() ? InteractionResult.Side.VALIDATOR : InteractionResult.Side.SUBMISSION;
                transcript = pair.transcript().stream()
                        .map(m -> new InteractionResult.Message(
                                m.fromSubmission()
                                        ? InteractionResult.Side.SUBMISSION
                                        : InteractionResult.Side.VALIDATOR,
                                new String(m.bytes(), StandardCharsets.UTF_8)))
                        .toList();
                cut = pair.transcriptCut();
            } else {
                RunOutcome ran = submissionBox.run(new RunSpec(
                        command, SandboxedExecutor.environment(), input, submission.runLimits(), cutSubmissionStderr));
                submissionStage = StageMapper.map(ran);
                first = InteractionResult.Side.SUBMISSION;
                if (submissionStage.succeeded()) {
                    // Its bytes as written, not their text (which would change bytes that are not UTF-8).
                    RunSpec checking = new RunSpec(
                            validatorRun.command(),
                            validatorRun.env(),
                            ran.stdout(),
                            validatorRun.limits(),
                            validatorRun.cutStderr(),
                            validatorRun.files());
                    validatorStage = StageMapper.map(validatorBox.run(checking));
                }
            }
            boolean nextPass = false;
            if (validatorStage != null && validatorStage.status() != StageStatus.XX) {
                Map<String, byte[]> left = feedbackOf(validatorBox);
                if (left == null) {
                    validatorStage = failed(
                            validatorStage,
                            "its feedback directory was over " + FEEDBACK_CARRIED + " bytes, or not a directory");
                } else {
                    feedback = new TreeMap<>(left);
                    byte[] next = feedback.remove(NEXT_PASS);
                    nextPass = next != null;
                    if (next != null) {
                        input = next;
                    }
                }
            }
            passes.add(new InteractionResult.Pass(
                    submissionStage, validatorStage, first, stopped, nextPass, transcript, cut));
            boolean submissionClean =
                    submissionStage.succeeded() || request.interactive() && "SIGPIPE".equals(submissionStage.signal());
            boolean accepted = validatorStage != null && validatorStage.code() != null && validatorStage.code() == 42;
            if (!(nextPass && accepted && submissionClean && pass < request.passes())) {
                break;
            }
        }
        return new InteractionResult.Test(
                passes, message(feedback, "judgemessage.txt"), message(feedback, "teammessage.txt"));
    }

    /**
     * What the validator left in its feedback directory, read without following links, or
     * {@code null} when that is not a directory or holds more than {@link #FEEDBACK_CARRIED} bytes.
     */
    private static Map<String, byte[]> feedbackOf(Box box) {
        try {
            return UntrustedTree.read(box.work().resolve(FEEDBACK), FEEDBACK_CARRIED);
        } catch (IOException e) {
            return null;
        }
    }

    /** A validator's run that did not do what a validator must. */
    private static StageResult failed(StageResult run, String why) {
        return new StageResult(
                run.stdout(),
                run.stderr(),
                run.output(),
                null,
                run.signal(),
                StageStatus.RE,
                "The validator failed: " + why,
                run.cpuTimeMs(),
                run.wallTimeMs(),
                run.memoryBytes());
    }

    private static String message(Map<String, byte[]> feedback, String name) {
        byte[] content = feedback.get(name);
        if (content == null) {
            return null;
        }
        int n = Math.min(content.length, InteractionResult.Test.FEEDBACK_BYTES);
        return new String(Arrays.copyOf(content, n), StandardCharsets.UTF_8);
    }
}
