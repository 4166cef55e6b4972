package io.codingengine.common.judge;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of judging a submission once: what {@code GET /submissions/{ticket}} shows when the
 * status is {@link SubmissionStatus#DONE}, and what a regrade keeps in the history.
 *
 * @param verdict       the submission's verdict
 * @param score         the share of tests accepted, 0 to 100 (tests not run count as not
 *                      accepted); for a scoring problem its score by its grading, rounded
 *                      (0 to {@link #MAX_SCORE})
 * @param compileOutput what the compiler printed (also on success), or {@code null} for
 *                      interpreted languages
 * @param tests         one result per test that ran, in run order; empty after {@link Verdict#CE}
 * @param judgedAt      when the worker finished
 * @param worker        which worker judged it (host or replica name), for operators
 * @param round         the grading round it belongs to: {@code 0} for the first grading, the
 *                      regrade round of {@code SubmissionStore.startRegrade} after that
 * @param attempt       which delivery of the round's queue message produced it, from 1
 * @param groups        one result per test data group of a problem with groups (the whole test
 *                      data, {@code data}, last), see {@link Grading}; empty otherwise and in
 *                      judgements stored before groups were judged
 */
public record Judgement(
        Verdict verdict,
        int score,
        String compileOutput,
        List<TestResult> tests,
        Instant judgedAt,
        String worker,
        long round,
        int attempt,
        List<GroupResult> groups) {

    /** The most a judgement may score: a scoring problem's score may pass 100. */
    public static final int MAX_SCORE = 1_000_000;

    public Judgement {
        Objects.requireNonNull(verdict, "verdict");
        if (score < 0 || score > MAX_SCORE) {
            throw new IllegalArgumentException("score must be 0.." + MAX_SCORE + ", was " + score);
        }
        groups = List.copyOf(Objects.requireNonNullElse(groups, List.of()));
        tests = List.copyOf(Objects.requireNonNullElse(tests, List.of()));
        Objects.requireNonNull(judgedAt, "judgedAt");
        Objects.requireNonNull(worker, "worker");
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, was " + round);
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }

    /**
     * The verdict of the first test that was not accepted (a test not run, {@link Verdict#NR},
     * did not fail), in run order: the test {@code failedTest} names; {@code null} when none
     * failed.
     */
    public Verdict firstFailure() {
        for (TestResult t : tests) {
            if (!t.verdict().accepted() && t.verdict() != Verdict.NR) {
                return t.verdict();
            }
        }
        return null;
    }

    /** This judgement's verdict under ICPC rules, see {@link #icpcVerdict(Verdict, Verdict)}. */
    public Verdict icpcVerdict() {
        return icpcVerdict(verdict, firstFailure());
    }

    /**
     * What a participant sees as the verdict under ICPC rules, where nothing past the first failing
     * test may show: a rejected submission's verdict is its first failing test's, whatever the
     * package's grader made of the tests after it ({@code on_reject: continue} with {@code
     * worst_error} would otherwise let a later hidden test pick it). An accepted verdict, and one
     * that no failing test explains (a compile error, a group's score outside its range), stay.
     *
     * @param verdict      the grader's verdict
     * @param firstFailure the first failing test's verdict ({@link #firstFailure}), or {@code null}
     */
    public static Verdict icpcVerdict(Verdict verdict, Verdict firstFailure) {
        return verdict == null || verdict.accepted() || firstFailure == null ? verdict : firstFailure;
    }

    /** A judgement without test data groups. */
    public Judgement(
            Verdict verdict,
            int score,
            String compileOutput,
            List<TestResult> tests,
            Instant judgedAt,
            String worker,
            long round,
            int attempt) {
        this(verdict, score, compileOutput, tests, judgedAt, worker, round, attempt, List.of());
    }
}
