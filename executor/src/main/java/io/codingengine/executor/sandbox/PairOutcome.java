package io.codingengine.executor.sandbox;

import java.util.List;

/**
 * What the sandbox observed of one interaction: the submission's and the output validator's runs,
 * each in a box of its own, talking through two pipes.
 *
 * @param submission        the submission's run (its stdout went to the validator)
 * @param validator         the validator's run (its stdout went to the submission)
 * @param validatorFirst    whether the validator ended first; {@code null} when either relay
 *                          failed. Neither program sees the other's end (EOF) before that end was
 *                          stamped, so an end caused by the other's is never first
 * @param submissionStopped whether the submission was stopped because the validator had ended
 *                          with anything but 42 (see {@link Sandbox#interact})
 * @param transcript        what passed between them, in order, up to the limit asked for
 * @param transcriptCut     whether more passed than was recorded
 * @param submissionFlooded whether the submission wrote more than its output limit to the validator,
 *                          which got no more of it (end of input) once it had
 */
public record PairOutcome(
        RunOutcome submission,
        RunOutcome validator,
        Boolean validatorFirst,
        boolean submissionStopped,
        List<Message> transcript,
        boolean transcriptCut,
        boolean submissionFlooded) {

    public PairOutcome {
        transcript = List.copyOf(transcript);
    }

    /** Bytes one side wrote to the other, consecutive ones of one side joined. */
    public record Message(boolean fromSubmission, byte[] bytes) {}
}
