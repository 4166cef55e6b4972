package io.codingengine.api.judge;

import io.codingengine.common.judge.GroupResult;
import io.codingengine.common.judge.Judgement;
import io.codingengine.common.judge.SubmissionStatus;
import io.codingengine.common.judge.TestResult;
import io.codingengine.common.judge.Verdict;
import io.codingengine.common.store.SubmissionRecord;
import java.time.Instant;
import java.util.List;

/**
 * What a poll returns; {@link Disclosure} picks the audience. An admin sees every stored detail,
 * judge messages included ({@link #full}). Anyone else sees {@link #forParticipant}: each test's
 * verdict, time and memory, and only for a visible test also its output, expected output and
 * message; never a judge message. In an ICPC contest a participant sees what ICPC judges show:
 * the verdict of the first failing test and its number, per-test results of visible tests only,
 * and no score: nothing past the first failing test shows, even where the package's grader
 * judged on ({@code on_reject: continue}) and its verdict is a later test's. {@code worker} and {@code attempt} say which worker judged it and on which
 * delivery of its queue message (above 1: an earlier one crashed).
 *
 * @param failedTest the number (from 1, in run order) of the first test that was not accepted,
 *                   or {@code null} when none failed or none ran (a test not run, {@code NR},
 *                   did not fail)
 * @param groups     one result per test data group of a problem with groups ({@code data}, the
 *                   whole test data, last): its verdict, score and tests run; none in an ICPC
 *                   contest's participant view (they would tell which hidden tests failed), and
 *                   without scores where scores are not shown
 */
public record SubmissionView(
        String id,
        String problemId,
        String contestId,
        String participant,
        String language,
        String version,
        SubmissionStatus status,
        long round,
        int testsDone,
        int testsTotal,
        Verdict verdict,
        Integer score,
        Integer failedTest,
        String compileOutput,
        List<TestResult> tests,
        List<GroupResult> groups,
        List<PastVerdict> history,
        String worker,
        Integer attempt,
        Instant createdAt,
        Instant updatedAt) {

    /** A verdict a regrade replaced; {@code score} is {@code null} where scores are not shown. */
    public record PastVerdict(long round, Verdict verdict, Integer score, Instant judgedAt) {}

    /** Everything stored: for admins. */
    static SubmissionView full(SubmissionRecord r) {
        Judgement j = r.judgement();
        return of(r, j == null ? List.of() : j.tests(), j == null ? List.of() : j.groups(), false);
    }

    /**
     * What a participant may see.
     *
     * @param icpc whether ICPC rules apply (see {@link Disclosure})
     */
    static SubmissionView forParticipant(SubmissionRecord r, boolean icpc) {
        Judgement j = r.judgement();
        List<TestResult> tests = j == null
                ? List.of()
                : j.tests().stream()
                        .filter(t -> !icpc || t.visible())
                        .map(TestResult::forParticipant)
                        .toList();
        List<GroupResult> groups = j == null || icpc ? List.of() : j.groups();
        return of(r, tests, groups, icpc);
    }

    /**
     * @param icpc ICPC rules for a participant: no scores, and the verdict of the first failing
     *             test ({@link Judgement#icpcVerdict()}) rather than the grader's, which tests after
     *             it may have picked
     */
    private static SubmissionView of(
            SubmissionRecord r, List<TestResult> tests, List<GroupResult> groups, boolean icpc) {
        var s = r.submission();
        Judgement j = r.judgement();
        boolean scores = !icpc;
        return new SubmissionView(
                s.id(),
                s.problemId(),
                s.contestId(),
                s.participant(),
                s.language(),
                s.version(),
                r.status(),
                r.round(),
                r.testsDone(),
                r.testsTotal(),
                j == null ? null : icpc ? j.icpcVerdict() : j.verdict(),
                j == null || !scores ? null : j.score(),
                j == null ? null : failedTest(j),
                j == null ? null : j.compileOutput(),
                tests,
                scores ? groups : groups.stream().map(GroupResult::withoutScore).toList(),
                r.history().stream()
                        .map(h -> new PastVerdict(
                                h.round(),
                                icpc ? h.icpcVerdict() : h.verdict(),
                                scores ? h.score() : null,
                                h.judgedAt()))
                        .toList(),
                j == null ? null : j.worker(),
                j == null ? null : j.attempt(),
                s.createdAt(),
                r.updatedAt());
    }

    private static Integer failedTest(Judgement j) {
        for (int i = 0; i < j.tests().size(); i++) {
            Verdict v = j.tests().get(i).verdict();
            if (!v.accepted() && v != Verdict.NR) {
                return i + 1;
            }
        }
        return null;
    }
}
