package io.codingengine.common.execution;

import java.util.List;
import java.util.Objects;

/**
 * A submission judged together with an output validator, as the Kattis problem package format
 * runs interactive and multi-pass problems: both programs compiled once, then for each test up to
 * {@code passes} passes.
 * <ul>
 *   <li><b>Interactive</b> ({@code interactive}): in a pass the validator runs as
 *       {@code validator input answer feedback_dir/ [args]} at the same time as the submission, in
 *       a box of its own (its own uid, cgroup, namespaces and limits: {@code validator}'s), the two
 *       sharing nothing but two pipes, the validator's standard output being the submission's
 *       standard input and the reverse. The submission's time limit is its own CPU time.</li>
 *   <li><b>Not interactive</b>: in a pass the submission runs on the pass's input, then, if it
 *       ended normally, the validator reads its standard output.</li>
 *   <li><b>Passes</b>: the first pass's input is the test's; after a pass in which the submission
 *       ended normally (an interactive submission may also have been ended by {@code SIGPIPE}) and
 *       the validator accepted (exit 42) having written {@code nextpass.in} to its feedback
 *       directory, the next pass (if {@code passes} allows one) gets that file as its input.
 *       The feedback directory is kept from pass to pass ({@code nextpass.in} removed).</li>
 * </ul>
 * What the passes mean for a verdict is the caller's to decide ({@link InteractionResult}).
 *
 * @param submission      the submitted program; its {@code runLimits} are each pass's
 * @param validator       the output validator; its {@code runLimits} are the judge's own
 * @param interactive     whether the two run at once, talking through pipes
 * @param passes          the most passes of a test, at least 1 ({@code limits.validation_passes}
 *                        of a multi-pass problem, 1 otherwise)
 * @param tests           the tests, in order; at least one
 * @param transcriptBytes how many bytes of an interactive pass's traffic are recorded, both
 *                        directions together; 0: none
 * @param syntaxCheck     whether an interpreted submission's sources are checked before it runs
 *                        (see {@link ExecutionRequest#syntaxCheck()}); null means off
 */
public record InteractionRequest(
        Program submission,
        Program validator,
        boolean interactive,
        int passes,
        List<Test> tests,
        long transcriptBytes,
        Boolean syntaxCheck) {

    public InteractionRequest {
        Objects.requireNonNull(submission, "submission");
        Objects.requireNonNull(validator, "validator");
        tests = List.copyOf(tests);
        if (passes < 1) {
            throw new InvalidRequestException("passes must be at least 1");
        }
        if (transcriptBytes < 0) {
            throw new InvalidRequestException("transcriptBytes must not be negative");
        }
        syntaxCheck = Boolean.TRUE.equals(syntaxCheck);
    }

    /**
     * One test.
     *
     * @param input         the test's input: the validator's {@code input_file} (and, not
     *                      interactive, the submission's standard input) in the first pass
     * @param answer        the validator's {@code answer_file}
     * @param validatorArgs arguments after the feedback directory; empty for none
     */
    public record Test(String input, String answer, List<String> validatorArgs) {

        public Test {
            input = Objects.requireNonNullElse(input, "");
            answer = Objects.requireNonNullElse(answer, "");
            validatorArgs = List.copyOf(Objects.requireNonNullElse(validatorArgs, List.of()));
        }
    }
}
