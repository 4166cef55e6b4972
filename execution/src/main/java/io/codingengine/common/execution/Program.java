package io.codingengine.common.execution;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One program of an {@link InteractionRequest}: what an {@link ExecutionRequest} says of a
 * program, without its runs.
 *
 * @param language      language name or alias
 * @param version       exact version or a semver range
 * @param files         source and data files; the first source file is the main one
 * @param options       language options from the catalogue; empty for defaults
 * @param compileLimits limits of its compile stage (null fields: the language's defaults)
 * @param runLimits     limits of each of its runs (null fields: the language's defaults)
 */
public record Program(
        String language,
        String version,
        List<SourceFile> files,
        Map<String, String> options,
        LimitRequest compileLimits,
        LimitRequest runLimits) {

    public Program {
        Objects.requireNonNull(language, "language");
        version = Objects.requireNonNullElse(version, "*");
        files = List.copyOf(files);
        options = Map.copyOf(Objects.requireNonNullElse(options, Map.of()));
        compileLimits = Objects.requireNonNullElse(compileLimits, LimitRequest.DEFAULTS);
        runLimits = Objects.requireNonNullElse(runLimits, LimitRequest.DEFAULTS);
    }
}
