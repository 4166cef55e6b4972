package io.codingengine.common.store;

import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.Submission;
import io.codingengine.common.judge.SubmissionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the store knows about one submission: what {@code GET /submissions/{ticket}} is made
 * from (the api decides what of it a client sees).
 *
 * @param submission the submission as created
 * @param status     where it is now
 * @param round      the current grading round: 0 for the first grading, then the round of the
 *                   latest {@link SubmissionStore#startRegrade}
 * @param allTests   the current round runs every test, also those a rejection already decided:
 *                   the flag the round was started with by
 *                   {@link SubmissionStore#startRegrade(String, long, boolean)} (an admin's
 *                   {@code allTests=true} regrade, or any regrade in a POINTS contest), kept while
 *                   the round is queued, running and once judged. Always {@code false} for round
 *                   0: the store does not decide how a first grading runs, its contest does (the
 *                   api and the sweeper look that up). {@link StalledRound#allTests} is the same flag
 * @param attempt    the delivery that last marked the round running (0 while queued), or the
 *                   attempt whose judgement won once done
 * @param testsDone  tests finished by the running attempt
 * @param testsTotal tests the running attempt will run; 0 before a worker started
 * @param judgement  the current round's judgement when {@code status} is DONE, else {@code null}
 * @param history    judgements of earlier rounds that a regrade replaced, oldest first
 * @param updatedAt  when the record last changed
 */
public record SubmissionRecord(
        Submission submission,
        SubmissionStatus status,
        long round,
        boolean allTests,
        int attempt,
        int testsDone,
        int testsTotal,
        Judgement judgement,
        List<Judgement> history,
        Instant updatedAt) {

    public SubmissionRecord {
        Objects.requireNonNull(submission, "submission");
        Objects.requireNonNull(status, "status");
        if ((status == SubmissionStatus.DONE) != (judgement != null)) {
            throw new IllegalArgumentException("a judgement exists exactly when the status is DONE");
        }
        history = List.copyOf(Objects.requireNonNullElse(history, List.of()));
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The submission's id. */
    public String id() {
        return submission.id();
    }

    /** This record as a listing shows it. */
    public SubmissionSummary summary() {
        return new SubmissionSummary(
                submission.id(),
                submission.problemId(),
                submission.contestId(),
                submission.participant(),
                submission.language(),
                submission.createdAt(),
                status,
                round,
                judgement == null ? null : judgement.verdict(),
                judgement == null ? null : judgement.score(),
                testsDone,
                testsTotal,
                updatedAt,
                judgement == null ? null : judgement.firstFailure());
    }
}
