package io.codingengine.common.execution;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The outcome of an {@link InteractionRequest}: the facts of every pass, for the caller to judge.
 *
 * @param language         the submission's resolved language
 * @param version          its resolved version
 * @param compile          the submission's compile stage, or {@code null} (interpreted, or its
 *                         syntax check passed)
 * @param validatorCompile the validator's compile stage, or {@code null}
 * @param tests            one per requested test, in order; empty when either compile failed
 * @param session          where it ran ({@link ExecutionResult#session()})
 */
public record InteractionResult(
        String language,
        String version,
        StageResult compile,
        StageResult validatorCompile,
        List<Test> tests,
        String session) {

    public InteractionResult {
        tests = List.copyOf(tests);
    }

    public boolean compileFailed() {
        return compile != null && !compile.succeeded();
    }

    public boolean validatorCompileFailed() {
        return validatorCompile != null && !validatorCompile.succeeded();
    }

    /** The same result, run at {@code where}. */
    public InteractionResult withSession(String where) {
        return new InteractionResult(language, version, compile, validatorCompile, tests, where);
    }

    /** Why the sandbox itself failed under a stage ({@link StageStatus#XX}), or null. */
    public String sandboxFailure() {
        return Stream.concat(
                        Stream.of(compile, validatorCompile).filter(Objects::nonNull),
                        tests.stream()
                                .flatMap(t -> t.passes().stream())
                                .flatMap(p ->
                                        Stream.of(p.submission(), p.validator()).filter(Objects::nonNull)))
                .filter(stage -> stage.status() == StageStatus.XX)
                .map(StageResult::message)
                .findFirst()
                .orElse(null);
    }

    /**
     * One test.
     *
     * @param passes       the passes run, at least one
     * @param judgeMessage the validator's {@code judgemessage.txt} after the last pass (its first
     *                     {@value #FEEDBACK_BYTES} bytes), or {@code null}
     * @param teamMessage  its {@code teammessage.txt} likewise, or {@code null}
     */
    public record Test(List<Pass> passes, String judgeMessage, String teamMessage) {

        /** Bytes kept of each feedback file. */
        public static final int FEEDBACK_BYTES = 4096;

        public Test {
            passes = List.copyOf(passes);
        }
    }

    /**
     * One pass of a test.
     *
     * @param submission        the submission's run (an interactive one's {@code stdout} is empty:
     *                          it went to the validator)
     * @param validator         the validator's run, or {@code null} when it did not run (not
     *                          interactive, and the submission did not end normally)
     * @param firstEnded        which ended first ({@link Side#SUBMISSION} when they ran one after
     *                          the other); {@code null} when unknown (the sandbox failed). A side
     *                          sees the other's end (EOF on its standard input) only after that
     *                          end was recorded, so a program ending because the other did is
     *                          never first
     * @param submissionStopped whether the submission was stopped because the validator had ended
     *                          with anything but 42 (its fate no longer mattered); its run then
     *                          reads as killed
     * @param nextPass          whether the validator wrote {@code nextpass.in}
     * @param transcript        what passed between them (interactive), in order, up to the
     *                          request's {@code transcriptBytes}
     * @param transcriptCut     whether more passed than was recorded
     */
    public record Pass(
            StageResult submission,
            StageResult validator,
            Side firstEnded,
            boolean submissionStopped,
            boolean nextPass,
            List<Message> transcript,
            boolean transcriptCut) {

        public Pass {
            transcript = List.copyOf(Objects.requireNonNullElse(transcript, List.of()));
        }
    }

    /** A side of an interaction. */
    public enum Side {
        SUBMISSION,
        VALIDATOR
    }

    /**
     * Bytes one side sent the other, in one piece as they passed (consecutive ones of one side
     * joined).
     *
     * @param from who wrote them
     * @param text the bytes as UTF-8 text
     */
    public record Message(Side from, String text) {}
}
