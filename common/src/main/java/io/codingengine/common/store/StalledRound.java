package io.codingengine.common.store;

import io.codingengine.common.judge.SubmissionStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A grading round that is not judged and whose record has not changed for a while: the api died
 * between storing the submission and queueing it, its message was lost, or the worker judging it
 * is gone. {@link SubmissionStore#stalled} finds them, the sweeper sends them again.
 *
 * @param id        the submission
 * @param round     its current round
 * @param status    {@code QUEUED} or {@code RUNNING}
 * @param attempt   the attempt that last marked the round running, 0 while queued: the next
 *                  message's attempts count on from it, so that its worker may take the round over
 * @param updatedAt when the record last changed
 * @param allTests  the round runs every test ({@link SubmissionStore#startRegrade(String, long, boolean)}):
 *                  its message must say so again
 */
public record StalledRound(
        String id, long round, SubmissionStatus status, int attempt, Instant updatedAt, boolean allTests) {

    public StalledRound {
        Objects.requireNonNull(id, "id");
        if (status == SubmissionStatus.DONE) {
            throw new IllegalArgumentException("a judged round is not stalled");
        }
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A round judged the usual way (lazy judging where the problem's grading allows it). */
    public StalledRound(String id, long round, SubmissionStatus status, int attempt, Instant updatedAt) {
        this(id, round, status, attempt, updatedAt, false);
    }
}
