package io.codingengine.common.contest;

/** How a contest ranks its participants. */
public enum Scoring {
    /**
     * ICPC: most problems solved first, then least penalty: for each solved problem, the minutes
     * from the start to its first accepted submission plus {@value Scoreboard#PENALTY_MINUTES} per
     * rejected submission before it (compile errors and internal errors do not count).
     */
    ICPC,
    /**
     * Points: the sum over problems of the best score: a scoring problem's score by its test data
     * groups ({@link io.codingengine.common.judge.Grading}), a pass-fail problem's share of tests
     * accepted (0 to 100; its submissions run every test, lazy judging would cut it short).
     */
    POINTS
}
