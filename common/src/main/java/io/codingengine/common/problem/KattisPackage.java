package io.codingengine.common.problem;

import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.Ids;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a problem package in the Kattis problem package format (legacy, 2023-07 and 2025-09)
 * into a {@link Problem}, refusing with an {@link InvalidPackageException} (a 400 at the api)
 * whatever it cannot judge as the format means it, rather than judging it some other way. The
 * work is split along the format's parts:
 * <ul>
 *   <li>{@link PackageArchive}: the zip or directory, safely (paths, links, sizes);</li>
 *   <li>{@link ProblemYaml}: {@code problem.yaml} (version, type, limits, name, constants);</li>
 *   <li>{@link TestData}: {@code data/} (tests and their settings files);</li>
 *   <li>{@link OutputValidator}: the checker;</li>
 *   <li>here: the statement, the package-wide refusals, and the defaults.</li>
 * </ul>
 * The time limit is {@code limits.time_limit} in seconds, else a {@code .timelimit} file, else
 * {@value #DEFAULT_TIME_LIMIT_SECONDS} s: the format's other way, multipliers over the reference
 * solutions' times, needs those solutions run, which the importer does not do. The memory limit
 * is {@code limits.memory} in MiB (default {@value #DEFAULT_MEMORY_MIB}). The engine's own
 * output, code size, compilation and checker limits apply, whatever {@code limits} says of them.
 * <p>
 * The statement is the first of {@code problem_statement/problem.en.md},
 * {@code problem_statement/problem.md}, {@code statement/problem.en.md},
 * {@code statement/problem.md}, then any other {@code .md} in those directories (LaTeX and PDF
 * statements are not shown).
 * <p>
 * Refused here: {@code include/} (files the format adds to every submission; the engine
 * compiles what was submitted, nothing else) and {@code static_validator/}.
 */
public final class KattisPackage {

    static final int DEFAULT_TIME_LIMIT_SECONDS = 3;
    static final int DEFAULT_MEMORY_MIB = 256;

    private static final List<String> STATEMENTS = List.of("problem_statement/problem.en.md",
            "problem_statement/problem.md", "statement/problem.en.md", "statement/problem.md");

    private KattisPackage() {
    }

    /** Reads the package under its short name (see {@link ProblemStore#importPackage(Path)}). */
    public static Problem read(Path dirOrZip) {
        return read(null, dirOrZip, PackageArchive.Limits.DEFAULT);
    }

    /** Reads the package under {@code problemId}. */
    public static Problem read(String problemId, Path dirOrZip) {
        return read(problemId, dirOrZip, PackageArchive.Limits.DEFAULT);
    }

    /**
     * Reads the package under {@code problemId}, or its short name when {@code null}.
     *
     * @throws InvalidPackageException when it is unsafe, incomplete or unsupported
     */
    public static Problem read(String problemId, Path dirOrZip, PackageArchive.Limits limits) {
        try (PackageArchive archive = PackageArchive.open(dirOrZip, limits)) {
            return parse(problemId, archive);
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read " + dirOrZip.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static Problem parse(String problemId, PackageArchive archive) throws IOException {
        String id = problemId != null ? problemId : archive.shortName();
        if (!Ids.isValid(id)) {
            throw new InvalidPackageException("the package's short name \"" + id + "\" is not a valid"
                    + " problem id; import it under an explicit id");
        }
        if (!archive.has("problem.yaml")) {
            throw new InvalidPackageException("problem.yaml is missing (a Kattis package has it at its root)");
        }
        ProblemYaml yaml = ProblemYaml.parse(archive.text("problem.yaml"));
        refuseUnsupportedParts(archive);
        TestData.Tests tests = TestData.read(archive, yaml.format(), yaml.constants());
        if (tests.samples().isEmpty() && tests.secret().isEmpty()) {
            throw new InvalidPackageException("the package has no tests (data/sample/*.in and data/secret/*.in with .ans)");
        }
        List<String> arguments = new ArrayList<>(yaml.validatorFlags());
        arguments.addAll(tests.outputValidatorArgs());
        CheckerSpec checker = OutputValidator.checker(archive, yaml.customValidation(), arguments, yaml.constants());
        checker = ProblemType.read(archive.text("problem.yaml")).judge(checker);
        long memory = (long) ((yaml.memoryMib() != null ? yaml.memoryMib() : DEFAULT_MEMORY_MIB) * (1 << 20));
        long output = yaml.outputMib() != null ? Math.max(1, (long) (yaml.outputMib() * (1 << 20)))
                : Problem.DEFAULT_OUTPUT_LIMIT_BYTES;
        return new Problem(id, yaml.name() != null ? yaml.name() : id, timeLimit(yaml, archive), memory, output, checker,
                tests.samples(), tests.secret(), statement(archive, yaml.constants()));
    }

    private static void refuseUnsupportedParts(PackageArchive archive) {
        if (!archive.under("include/").isEmpty()) {
            throw new InvalidPackageException("include/ is not supported: the format adds its files to every"
                    + " submission, and the engine compiles only what was submitted (" + archive.under("include/")
                    .iterator().next() + ")");
        }
        if (!archive.under("static_validator/").isEmpty()) {
            throw new InvalidPackageException("static_validator/ is not supported: static validation is not implemented");
        }
    }

    private static Duration timeLimit(ProblemYaml yaml, PackageArchive archive) throws IOException {
        Double seconds = yaml.timeLimitSeconds();
        if (seconds == null && archive.has(".timelimit")) {
            seconds = ProblemYaml.positive(archive.text(".timelimit").strip(), "time limit");
        }
        double value = seconds != null ? seconds : DEFAULT_TIME_LIMIT_SECONDS;
        return Duration.ofMillis(Math.max(1, Math.round(value * 1000)));
    }

    private static String statement(PackageArchive archive, Constants constants) throws IOException {
        for (String candidate : STATEMENTS) {
            if (archive.has(candidate)) {
                return constants.apply(archive.text(candidate));
            }
        }
        for (String path : archive.paths()) {
            if ((path.startsWith("problem_statement/") || path.startsWith("statement/")) && path.endsWith(".md")) {
                return constants.apply(archive.text(path));
            }
        }
        return null;
    }
}
