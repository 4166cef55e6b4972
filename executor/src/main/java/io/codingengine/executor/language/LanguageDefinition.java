package io.codingengine.executor.language;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One language of the catalogue ({@code languages.json}), as data: adding a language is adding
 * an entry, not code. Commands are argv templates; the executor fills these placeholders:
 * <ul>
 *   <li>{@code {toolchain}}: the detected toolchain (a binary, or a directory such as a JDK home)</li>
 *   <li>{@code {main}}: the main file; {@code {sources}}: every file with one of {@link #extensions()}
 *       (expands to several arguments); {@code {args}}: the run's arguments (several)</li>
 *   <li>{@code {mainClass}}: for {@code naming = "java-class"}, the class whose {@code main} runs</li>
 *   <li>{@code {heapMiB}}: a heap size derived from the stage's memory limit, leaving room for
 *       the runtime's own memory, so a managed runtime fails with its own error rather than
 *       being killed by the cgroup at start; {@code {stackMiB}}: a thread stack size derived from it</li>
 *   <li>{@code {<option>}}: the value of a language option ({@code {std}})</li>
 * </ul>
 *
 * @param language      canonical name, as listed by the runtimes API
 * @param aliases       other accepted names; {@code {major}} and {@code {minor}} in one stand for the
 *                      parts of each detected version ({@code python{major}.{minor}}: {@code python3.11})
 * @param runtime       the toolchain's name when it serves several languages (Piston's {@code runtime}), or null
 * @param toolchains    where to look for toolchains: paths or globs; every match is one version
 * @param toolchainRequires a file that must exist under a directory match ({@code bin/javac}), or null
 * @param version       how the version is read from a toolchain
 * @param extensions    source extensions; the first is added to a main file that has none
 * @param naming        {@code "java-class"} to name files after their public class, or null
 * @param readOnlyPaths extra host paths (globs) the language needs inside the box
 * @param options       options a request may set, with defaults and allowed values
 * @param compile       compile command, or null for interpreted languages
 * @param run           run command
 * @param limits        per-stage ({@code "compile"}, {@code "run"}) overrides of the default limits
 * @param precompiledHeader a header worth precompiling once per option combination (placeholder
 *                      {@code {pch}} in {@code compile} becomes its include directory), or null
 * @param compileService {@code "javac"} to compile in the warm compiler service of the toolchain, or null
 * @param compileChecksOnly true (absent: false) when {@code compile} only checks the sources (an interpreted
 *                      language's syntax check): it writes nothing the run needs, a failed check
 *                      is a compile error like any other, and a passed one is not reported as a
 *                      stage, so the result has a compile stage only when the language is compiled
 *                      or the check failed (Piston shows none for an interpreted language)
 * @param samples       programs that show the entry works on a host: the tests run them for
 *                      every language and version found, so a new entry comes with its checks
 */
public record LanguageDefinition(
        String language,
        List<String> aliases,
        String runtime,
        List<String> toolchains,
        String toolchainRequires,
        VersionProbe version,
        List<String> extensions,
        String naming,
        List<String> readOnlyPaths,
        Map<String, OptionSpec> options,
        List<String> compile,
        List<String> run,
        Map<String, LimitOverrides> limits,
        PrecompiledHeader precompiledHeader,
        String compileService,
        Boolean compileChecksOnly,
        Samples samples) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public LanguageDefinition {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(version, "version of " + language);
        Objects.requireNonNull(run, "run of " + language);
        aliases = List.copyOf(Objects.requireNonNullElse(aliases, List.of()));
        toolchains = List.copyOf(toolchains);
        extensions = List.copyOf(extensions);
        readOnlyPaths = List.copyOf(Objects.requireNonNullElse(readOnlyPaths, List.of()));
        options = Map.copyOf(Objects.requireNonNullElse(options, Map.of()));
        compile = compile == null ? null : List.copyOf(compile);
        run = List.copyOf(run);
        limits = Map.copyOf(Objects.requireNonNullElse(limits, Map.of()));
        compileChecksOnly = Boolean.TRUE.equals(compileChecksOnly);
        if (compileChecksOnly && (compile == null || compileService != null || precompiledHeader != null)) {
            throw new IllegalArgumentException(language + ": compileChecksOnly needs a compile command run in the box");
        }
    }

    /** True when {@code name} is the language's name or one of its aliases, at any version. */
    public boolean answersTo(String name) {
        return language.equals(name)
                || aliases.stream()
                        .anyMatch(alias -> alias.equals(name)
                                || alias.contains("{")
                                        && name.matches(java.util.regex.Pattern.quote(alias)
                                                .replace("{major}", "\\E\\d+\\Q")
                                                .replace("{minor}", "\\E\\d+\\Q")));
    }

    /**
     * @param header the header as included ({@code bits/stdc++.h})
     * @param flags  the compile flags that change what the header means (standard, optimisation),
     *               as in {@code compile}, with option placeholders; a precompiled header is only
     *               used by a compile with exactly these flags
     */
    public record PrecompiledHeader(String header, List<String> flags) {
        public PrecompiledHeader {
            Objects.requireNonNull(header, "header");
            flags = List.copyOf(flags);
        }
    }

    /**
     * @param command argv that prints the version
     * @param pattern regular expression whose first group is the version
     */
    public record VersionProbe(List<String> command, String pattern) {}

    /**
     * @param defaultValue value when the request does not set the option
     * @param allowed      every value a request may choose
     */
    public record OptionSpec(
            @com.fasterxml.jackson.annotation.JsonProperty("default")
            String defaultValue,

            List<String> allowed) {}

    /** Overrides of the default limits for one stage; null fields keep the default. */
    public record LimitOverrides(Long cpuMs, Long wallMs, Long memoryMiB, Integer processes, Integer openFiles) {}

    /**
     * Sample programs of a language, each one source file.
     *
     * @param hello prints {@code héllo wörld ✓} and a newline (non-ASCII output must survive)
     * @param echo  prints the first word of its standard input, then its arguments, separated by
     *              spaces, and a newline
     */
    public record Samples(String hello, String echo) {}
}
