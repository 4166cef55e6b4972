package io.codingengine.common.judge;

import io.codingengine.common.execution.SourceFile;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Code to judge, as stored when it was submitted. It is judged either against a problem's tests
 * ({@code problemId} set, {@code tests} empty, {@code checker} {@code null}: the problem's checker
 * applies) or against the tests it carries ({@code problemId} {@code null}, {@code tests} not
 * empty, {@code checker} defaulting to {@link CheckerSpec#DEFAULT}).
 *
 * @param id          the ticket, unique; see {@link Ids} for its shape
 * @param problemId   the problem to judge against, or {@code null} for inline tests
 * @param contestId   the contest it was submitted to, or {@code null}
 * @param participant who submitted it (user or candidate id), never blank
 * @param language    language name or alias
 * @param version     exact version or range; {@code null} means {@code "*"}
 * @param files       source files, the main one first; at least one
 * @param tests       the inline tests when there is no problem, in run order; names unique
 * @param checker     the output checker of inline tests; {@code null} with a problem
 * @param createdAt   when the api accepted it
 */
public record Submission(
        String id,
        String problemId,
        String contestId,
        String participant,
        String language,
        String version,
        List<SourceFile> files,
        List<TestCase> tests,
        CheckerSpec checker,
        Instant createdAt) {

    public Submission {
        Ids.require(id, "submission id");
        if (problemId != null) {
            Ids.require(problemId, "problemId");
        }
        if (contestId != null && contestId.isBlank()) {
            throw new IllegalArgumentException("contestId must not be blank");
        }
        Objects.requireNonNull(participant, "participant");
        if (participant.isBlank()) {
            throw new IllegalArgumentException("participant must not be blank");
        }
        Objects.requireNonNull(language, "language");
        version = Objects.requireNonNullElse(version, "*");
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a submission needs at least one file");
        }
        tests = List.copyOf(Objects.requireNonNullElse(tests, List.of()));
        Objects.requireNonNull(createdAt, "createdAt");
        if (problemId != null) {
            if (!tests.isEmpty()) {
                throw new IllegalArgumentException("a submission to a problem carries no tests");
            }
            if (checker != null) {
                throw new IllegalArgumentException("a submission to a problem uses the problem's checker");
            }
        } else {
            if (tests.isEmpty()) {
                throw new IllegalArgumentException("a submission without a problem needs its own tests");
            }
            var names = new HashSet<String>();
            for (TestCase test : tests) {
                if (!names.add(test.name())) {
                    throw new IllegalArgumentException("duplicate test name: " + test.name());
                }
            }
            checker = Objects.requireNonNullElse(checker, CheckerSpec.DEFAULT);
        }
    }
}
