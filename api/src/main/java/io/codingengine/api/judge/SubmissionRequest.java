package io.codingengine.api.judge;

import io.codingengine.common.execution.SourceFile;
import io.codingengine.common.judge.CheckerSpec;
import io.codingengine.common.judge.TestCase;
import java.util.List;

/**
 * The body of {@code POST /api/v1/submissions}: a problem's id, or inline tests (and optionally a
 * checker) for a submission that carries its own.
 */
public record SubmissionRequest(
        String problemId,
        String contestId,
        String participant,
        String language,
        String version,
        List<SourceFile> files,
        List<TestCase> tests,
        CheckerSpec checker) {}
