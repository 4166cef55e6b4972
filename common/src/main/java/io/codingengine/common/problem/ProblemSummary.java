package io.codingengine.common.problem;

import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.TestCase;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A problem as clients see it. It has no field that could hold secret data: sample tests only
 * (checked to be visible), the number of secret tests, and the checker's kind but not a custom
 * checker's program. APIs that answer clients return this type, never {@link Problem}.
 *
 * @param id               the problem's id
 * @param name             its display name
 * @param timeLimit        CPU time limit of each run
 * @param memoryLimitBytes memory limit of each run
 * @param checker          the checker's kind: {@code EXACT}, {@code LINES}, {@code TOKENS},
 *                         {@code FLOAT} or {@code CUSTOM}; an interactive problem's validator is
 *                         {@code INTERACTIVE}, a multi-pass problem's (not interactive)
 *                         {@code MULTI_PASS}
 * @param samples          the sample tests, with their data; none for an {@code INTERACTIVE} or
 *                         {@code MULTI_PASS} problem, whose tests' input and answer are its
 *                         output validator's (its {@code sampleInteractions} show the samples)
 * @param secretTestCount  how many secret tests judge a submission besides the samples
 * @param statement        the statement as Markdown, or {@code null}
 * @param timeLimitSource  how the time limit was set (see {@link Problem#timeLimitSource()}), or
 *                         {@code null}
 * @param sampleInteractions the sample interactions of an interactive or multi-pass problem
 *                         (see {@link SampleInteraction}), for its statement; empty for others
 */
public record ProblemSummary(
        String id,
        String name,
        Duration timeLimit,
        long memoryLimitBytes,
        String checker,
        List<TestCase> samples,
        int secretTestCount,
        String statement,
        String timeLimitSource,
        List<SampleInteraction> sampleInteractions) {

    public ProblemSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(checker, "checker");
        // An interactive or multi-pass problem's test data is its output validator's: the
        // submission never reads the .ans, nor (interactive) the .in; its samples are shown as
        // interactions, never as input and output.
        samples = talks(checker) ? List.of() : List.copyOf(samples);
        sampleInteractions = List.copyOf(Objects.requireNonNullElse(sampleInteractions, List.of()));
        for (TestCase sample : samples) {
            if (!sample.visible()) {
                throw new IllegalArgumentException("a summary holds visible tests only: " + sample.name());
            }
        }
        if (secretTestCount < 0) {
            throw new IllegalArgumentException("secretTestCount must be >= 0");
        }
    }

    /** Whether a problem of this checker kind runs its submissions with its output validator. */
    public static boolean talks(String checker) {
        return checker.equals("INTERACTIVE") || checker.equals("MULTI_PASS");
    }

    /** The JSON type name of {@code checker}, or what kind of problem its validator judges. */
    static String kindOf(CheckerSpec checker) {
        return switch (checker) {
            case CheckerSpec.Exact ignored -> "EXACT";
            case CheckerSpec.Lines ignored -> "LINES";
            case CheckerSpec.Tokens ignored -> "TOKENS";
            case CheckerSpec.Floats ignored -> "FLOAT";
            case CheckerSpec.Custom c -> c.interacts() ? "INTERACTIVE" : c.passLimit() > 1 ? "MULTI_PASS" : "CUSTOM";
        };
    }
}
