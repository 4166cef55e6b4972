package io.codingengine.common.execution;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One submission to compile once and run once per input. The executor validates it against its
 * catalogue; this record only holds it.
 *
 * @param language     language name or alias
 * @param version      exact version or a semver range ({@code "*"}, {@code "3.x"}, {@code ">=17"})
 * @param files        source and data files; the first source file is the main one
 * @param options      language options from the catalogue (e.g. {@code std=c++20}); empty for defaults
 * @param compileLimits limits the compile stage asks for (null fields: the language's defaults)
 * @param runLimits    limits each run asks for (null fields: the language's defaults)
 * @param runs         one entry per run; the compile stage runs once before them
 * @param syntaxCheck  whether an interpreted language's sources are checked before any run, so
 *                     that a syntax error is a compile error (what contest judges expect); off for
 *                     Piston, where a syntax error is the run's, and where it would cost a
 *                     sandboxed interpreter start per request. Absent (null) means off.
 */
public record ExecutionRequest(
        String language,
        String version,
        List<SourceFile> files,
        Map<String, String> options,
        LimitRequest compileLimits,
        LimitRequest runLimits,
        List<RunInput> runs,
        Boolean syntaxCheck) {

    /** Without a syntax check of interpreted languages (Piston's behaviour). */
    public ExecutionRequest(
            String language,
            String version,
            List<SourceFile> files,
            Map<String, String> options,
            LimitRequest compileLimits,
            LimitRequest runLimits,
            List<RunInput> runs) {
        this(language, version, files, options, compileLimits, runLimits, runs, false);
    }

    public ExecutionRequest {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(version, "version");
        files = List.copyOf(files);
        options = Map.copyOf(Objects.requireNonNullElse(options, Map.of()));
        compileLimits = Objects.requireNonNullElse(compileLimits, LimitRequest.DEFAULTS);
        runLimits = Objects.requireNonNullElse(runLimits, LimitRequest.DEFAULTS);
        runs = List.copyOf(runs);
        syntaxCheck = Boolean.TRUE.equals(syntaxCheck);
    }

    /** The same request with interpreted languages' sources checked before any run. */
    public ExecutionRequest withSyntaxCheck() {
        return new ExecutionRequest(language, version, files, options, compileLimits, runLimits, runs, true);
    }
}
