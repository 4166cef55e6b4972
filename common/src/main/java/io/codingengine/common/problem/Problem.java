package io.codingengine.common.problem;

import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Grading;
import io.codingengine.common.judge.Ids;
import io.codingengine.common.judge.TestCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A problem as the judge needs it, secret tests and custom checker included. <b>Server side
 * only</b>: what clients may see of it is its {@link #summary()}.
 *
 * @param id               the problem's id (see {@link Ids}); a Kattis package's short name
 * @param name             its display name
 * @param timeLimit        CPU time limit of each run, positive
 * @param memoryLimitBytes memory limit of each run, positive
 * @param outputLimitBytes output limit of each run (standard output and standard error each),
 *                         positive: a Kattis package's {@code limits.output}, by default
 *                         {@link #DEFAULT_OUTPUT_LIMIT_BYTES}
 * @param checker          how outputs are judged
 * @param samples          the sample tests, all {@linkplain TestCase#visible() visible}, run first
 * @param secretTests      the secret tests, none visible, run after the samples
 * @param statement        the statement as Markdown, or {@code null} when the package has none
 * @param statementFiles   the pictures the statement shows (see {@link StatementFile}); their
 *                         data is {@code null} in a problem {@linkplain ProblemStore#load loaded}
 *                         for judging, and a save keeps the stored data of such a file
 * @param timeLimitSource  how the time limit was set, for people ({@code "problem.yaml
 *                         limits.time_limit"}, the accepted submissions' times and the
 *                         arithmetic, the default...), or {@code null} when not known
 * @param grading          its test data groups and how their results add up (a package's
 *                         {@code testdata.yaml} files, see {@link Grading}); {@code null} for a
 *                         problem without groups: every test runs and the score is the share
 *                         accepted
 * @param sampleInteractions the sample interactions of an interactive or multi-pass problem
 *                         ({@code data/sample/X.interaction}), shown with its statement; empty
 *                         for any other problem
 */
public record Problem(
        String id,
        String name,
        Duration timeLimit,
        long memoryLimitBytes,
        long outputLimitBytes,
        CheckerSpec checker,
        List<TestCase> samples,
        List<TestCase> secretTests,
        String statement,
        List<StatementFile> statementFiles,
        String timeLimitSource,
        Grading grading,
        List<SampleInteraction> sampleInteractions) {

    /**
     * The longest statement a problem may have, in characters of Markdown (a LaTeX statement's
     * once converted): every problem's statement travels with its contest's page.
     */
    public static final int MAX_STATEMENT_CHARS = 1 << 20;

    /** Kattis's default {@code limits.output}: 8 MiB. */
    public static final long DEFAULT_OUTPUT_LIMIT_BYTES = 8L << 20;

    public Problem {
        Ids.require(id, "problem id");
        Objects.requireNonNull(name, "name");
        if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive, was " + timeLimit);
        }
        if (memoryLimitBytes <= 0) {
            throw new IllegalArgumentException("memoryLimitBytes must be positive, was " + memoryLimitBytes);
        }
        if (outputLimitBytes <= 0) {
            throw new IllegalArgumentException("outputLimitBytes must be positive, was " + outputLimitBytes);
        }
        Objects.requireNonNull(checker, "checker");
        sampleInteractions = List.copyOf(Objects.requireNonNullElse(sampleInteractions, List.of()));
        statementFiles = List.copyOf(Objects.requireNonNullElse(statementFiles, List.of()));
        samples = List.copyOf(samples);
        secretTests = List.copyOf(secretTests);
        if (samples.isEmpty() && secretTests.isEmpty()) {
            throw new IllegalArgumentException("problem " + id + " has no tests");
        }
        var names = new HashSet<String>();
        for (TestCase sample : samples) {
            if (!sample.visible()) {
                throw new IllegalArgumentException("sample " + sample.name() + " must be visible");
            }
            if (!names.add(sample.name())) {
                throw new IllegalArgumentException("duplicate test name " + sample.name());
            }
        }
        for (TestCase secret : secretTests) {
            if (secret.visible()) {
                throw new IllegalArgumentException("secret test " + secret.name() + " must not be visible");
            }
            if (!names.add(secret.name())) {
                throw new IllegalArgumentException("duplicate test name " + secret.name());
            }
        }
        if (sampleInteractions.stream().map(SampleInteraction::name).distinct().count() != sampleInteractions.size()) {
            throw new IllegalArgumentException("problem " + id + ": two sample interactions have one name");
        }
        if (grading != null && !new HashSet<>(grading.tests()).equals(names)) {
            throw new IllegalArgumentException("problem " + id + ": its groups must hold each of its tests once");
        }
        if (grading != null && grading.tests().size() != names.size()) {
            throw new IllegalArgumentException("problem " + id + ": its groups must hold each of its tests once");
        }
    }

    /** A problem without test data groups or sample interactions. */
    public Problem(
            String id,
            String name,
            Duration timeLimit,
            long memoryLimitBytes,
            long outputLimitBytes,
            CheckerSpec checker,
            List<TestCase> samples,
            List<TestCase> secretTests,
            String statement,
            List<StatementFile> statementFiles,
            String timeLimitSource) {
        this(
                id,
                name,
                timeLimit,
                memoryLimitBytes,
                outputLimitBytes,
                checker,
                samples,
                secretTests,
                statement,
                statementFiles,
                timeLimitSource,
                null,
                List.of());
    }

    /** A problem whose statement shows no pictures. */
    public Problem(
            String id,
            String name,
            Duration timeLimit,
            long memoryLimitBytes,
            long outputLimitBytes,
            CheckerSpec checker,
            List<TestCase> samples,
            List<TestCase> secretTests,
            String statement) {
        this(
                id,
                name,
                timeLimit,
                memoryLimitBytes,
                outputLimitBytes,
                checker,
                samples,
                secretTests,
                statement,
                List.of(),
                null);
    }

    /** The same problem with another time limit, set as {@code source} says. */
    public Problem withTimeLimit(Duration limit, String source) {
        return new Problem(
                id,
                name,
                limit,
                memoryLimitBytes,
                outputLimitBytes,
                checker,
                samples,
                secretTests,
                statement,
                statementFiles,
                source,
                grading,
                sampleInteractions);
    }

    /** The same problem with these statement files (its pictures, with or without their data). */
    public Problem withStatementFiles(List<StatementFile> files) {
        return new Problem(
                id,
                name,
                timeLimit,
                memoryLimitBytes,
                outputLimitBytes,
                checker,
                samples,
                secretTests,
                statement,
                files,
                timeLimitSource,
                grading,
                sampleInteractions);
    }

    /** Every test in run order: the samples, then the secret tests. */
    public List<TestCase> tests() {
        var all = new ArrayList<TestCase>(samples.size() + secretTests.size());
        all.addAll(samples);
        all.addAll(secretTests);
        return List.copyOf(all);
    }

    /** What a client may see: no secret test data and no checker program. */
    public ProblemSummary summary() {
        return new ProblemSummary(
                id,
                name,
                timeLimit,
                memoryLimitBytes,
                ProblemSummary.kindOf(checker),
                samples,
                secretTests.size(),
                statement,
                timeLimitSource,
                sampleInteractions);
    }
}
