package io.codingengine.common.store;

import io.codingengine.common.judge.SubmissionStatus;

/**
 * Which submissions a listing returns: those matching every non-{@code null} field.
 * {@link #all()} matches every submission.
 *
 * @param problemId   only submissions to this problem
 * @param contestId   only submissions to this contest
 * @param participant only this participant's submissions
 * @param status      only submissions in this status now
 */
public record SubmissionFilter(String problemId, String contestId, String participant, SubmissionStatus status) {

    private static final SubmissionFilter ALL = new SubmissionFilter(null, null, null, null);

    public static SubmissionFilter all() {
        return ALL;
    }

    public static SubmissionFilter problem(String problemId) {
        return ALL.withProblemId(problemId);
    }

    public static SubmissionFilter contest(String contestId) {
        return ALL.withContestId(contestId);
    }

    public static SubmissionFilter participant(String participant) {
        return ALL.withParticipant(participant);
    }

    public SubmissionFilter withProblemId(String value) {
        return new SubmissionFilter(value, contestId, participant, status);
    }

    public SubmissionFilter withContestId(String value) {
        return new SubmissionFilter(problemId, value, participant, status);
    }

    public SubmissionFilter withParticipant(String value) {
        return new SubmissionFilter(problemId, contestId, value, status);
    }

    public SubmissionFilter withStatus(SubmissionStatus value) {
        return new SubmissionFilter(problemId, contestId, participant, value);
    }

    /** True when {@code summary} matches every non-{@code null} field. */
    public boolean matches(SubmissionSummary summary) {
        return (problemId == null || problemId.equals(summary.problemId()))
                && (contestId == null || contestId.equals(summary.contestId()))
                && (participant == null || participant.equals(summary.participant()))
                && (status == null || status == summary.status());
    }
}
