package io.codingengine.api.judge;

import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.store.SubmissionRecord;

import java.time.Instant;
import java.util.List;

/**
 * What a poll returns. Hidden tests carry their verdict, time and memory, never their data
 * (the judge leaves it out when it writes the result). {@code worker} and {@code attempt} say which
 * worker judged it and on which delivery of its queue message (above 1: an earlier one crashed).
 */
public record SubmissionView(String id, String problemId, String contestId, String participant, String language,
                             String version, SubmissionStatus status, long round, int testsDone, int testsTotal,
                             Verdict verdict, Integer score, String compileOutput, List<TestResult> tests,
                             List<PastVerdict> history, String worker, Integer attempt, Instant createdAt,
                             Instant updatedAt) {

    /** A verdict a regrade replaced. */
    public record PastVerdict(long round, Verdict verdict, int score, Instant judgedAt) {
    }

    static SubmissionView of(SubmissionRecord r) {
        var s = r.submission();
        Judgement j = r.judgement();
        return new SubmissionView(s.id(), s.problemId(), s.contestId(), s.participant(), s.language(), s.version(),
                r.status(), r.round(), r.testsDone(), r.testsTotal(),
                j == null ? null : j.verdict(), j == null ? null : j.score(), j == null ? null : j.compileOutput(),
                j == null ? List.of() : j.tests(),
                r.history().stream().map(h -> new PastVerdict(h.round(), h.verdict(), h.score(), h.judgedAt())).toList(),
                j == null ? null : j.worker(), j == null ? null : j.attempt(), s.createdAt(), r.updatedAt());
    }
}
