package io.codingengine.common.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.Verdict;
import java.time.Instant;
import java.util.Objects;

/**
 * A submission as listings show it: who, what, where it is, and the verdict once judged; no
 * source and no per-test results.
 *
 * @param id          the ticket
 * @param problemId   its problem, or {@code null} for inline tests
 * @param contestId   its contest, or {@code null}
 * @param participant who submitted it
 * @param language    its language as submitted
 * @param createdAt   when it was accepted
 * @param status      where it is now
 * @param round       its grading round: 0 until a regrade starts a later one
 * @param verdict     the round's verdict when {@code status} is DONE, else {@code null}
 * @param score       the round's score when {@code status} is DONE, else {@code null}
 * @param testsDone   tests finished by the running attempt (progress)
 * @param testsTotal  tests the running attempt will run; 0 before a worker started
 * @param updatedAt   when the record last changed
 * @param firstFailure the verdict of the round's first failing test when {@code status} is DONE
 *                    ({@link Judgement#firstFailure}), else {@code null}; {@code null} too in
 *                    records judged before it was kept; not in listings' JSON (a participant
 *                    sees it as the verdict where ICPC rules apply, see Disclosure)
 */
public record SubmissionSummary(
        String id,
        String problemId,
        String contestId,
        String participant,
        String language,
        Instant createdAt,
        SubmissionStatus status,
        long round,
        Verdict verdict,
        Integer score,
        int testsDone,
        int testsTotal,
        Instant updatedAt,
        @JsonIgnore Verdict firstFailure) {

    public SubmissionSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
    }

    /** The verdict under ICPC rules ({@link Judgement#icpcVerdict(Verdict, Verdict)}). */
    public Verdict icpcVerdict() {
        return Judgement.icpcVerdict(verdict, firstFailure);
    }
}
