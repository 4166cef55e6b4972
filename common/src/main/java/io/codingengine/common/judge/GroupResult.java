package io.codingengine.common.judge;

import java.util.Objects;

/**
 * How a submission did on one test data group of a problem ({@code data/sample},
 * {@code data/secret}, {@code secret/group1}, and the whole test data, named {@code data}), as the
 * problem's grading ({@link Grading}) aggregated its tests' and subgroups' results.
 *
 * @param name          the group's path under {@code data/} ({@code "sample"}, {@code "secret"},
 *                      {@code "secret/group1"}), or {@code "data"} for the whole test data
 * @param verdict       the group's verdict by its grader; {@link Verdict#NR} when judging
 *                      stopped before any of its tests ran
 * @param score         its score, or {@code null} for a pass-fail problem
 * @param maxScore      the most it may score (its {@code range}'s upper end or its
 *                      {@code max_score}), or {@code null} when unbounded or pass-fail
 * @param tests         tests in the group and its subgroups
 * @param testsRun      of them, those whose results count (run and not after a rejection that
 *                      ended the judging of a group holding them)
 * @param testsAccepted of those, the accepted ones
 * @param message       why the group's verdict is what it is when its results alone do not say
 *                      (a score outside its range, a validator's missing {@code score.txt}), or
 *                      {@code null}
 */
public record GroupResult(
        String name,
        Verdict verdict,
        Double score,
        Double maxScore,
        int tests,
        int testsRun,
        int testsAccepted,
        String message) {

    public GroupResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verdict, "verdict");
        if (tests < 0 || testsRun < 0 || testsAccepted < 0 || testsRun > tests || testsAccepted > testsRun) {
            throw new IllegalArgumentException("group " + name + ": need 0 <= accepted <= run <= tests, were "
                    + testsAccepted + ", " + testsRun + ", " + tests);
        }
    }

    /** What a participant may see: all but the score when scores are not shown. */
    public GroupResult withoutScore() {
        return new GroupResult(name, verdict, null, null, tests, testsRun, testsAccepted, message);
    }
}
