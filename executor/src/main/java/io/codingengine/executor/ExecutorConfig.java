package io.codingengine.executor;

import io.codingengine.common.execution.StageLimits;
import io.codingengine.executor.compile.CompileSettings;
import java.time.Duration;

/**
 * Limits of the executor (see docs/sandbox.md, "LIMITS"). Per-language overrides live in the
 * catalogue; requests may lower limits and may raise them up to {@code max}, never past it.
 *
 * @param compile        default limits of a compile stage
 * @param run            default limits of a run
 * @param max            the largest value a request or an override may ask for
 * @param maxFiles       files per submission
 * @param maxSourceBytes decoded bytes of all files of a submission
 * @param compileSpeed   precompiled headers, the compile cache and the warm Java compiler
 */
public record ExecutorConfig(
        StageLimits compile,
        StageLimits run,
        StageLimits max,
        int maxFiles,
        long maxSourceBytes,
        CompileSettings compileSpeed) {

    /** With the default compile-speed settings. */
    public ExecutorConfig(StageLimits compile, StageLimits run, StageLimits max, int maxFiles, long maxSourceBytes) {
        this(compile, run, max, maxFiles, maxSourceBytes, CompileSettings.defaults());
    }

    public ExecutorConfig withCompileSpeed(CompileSettings value) {
        return new ExecutorConfig(compile, run, max, maxFiles, maxSourceBytes, value);
    }

    private static final long MIB = 1L << 20;

    /** DESIGN.md's defaults: 3 s run, 10 s compile, 256 MiB, 64 processes, 64 KiB output. */
    public static ExecutorConfig defaults() {
        StageLimits run = new StageLimits(
                Duration.ofSeconds(3), Duration.ofSeconds(3), 256 * MIB, 64, 64 * 1024, 16 * MIB, 512, 64 * MIB, 4096);
        StageLimits compile = new StageLimits(
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                512 * MIB,
                64,
                64 * 1024,
                64 * MIB,
                512,
                64 * MIB,
                4096);
        StageLimits max = new StageLimits(
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                1024 * MIB,
                256,
                16 * MIB,
                256 * MIB,
                4096,
                512 * MIB,
                65536);
        return new ExecutorConfig(compile, run, max, 64, MIB);
    }

    /**
     * The defaults with room for judging: a custom checker travels with every test's input and
     * answer as data files, so a submission may carry up to 4096 files and 256 MiB. The worker's
     * in-process executor and the session container both use it, so a pool accepts what the
     * worker sends.
     */
    public static ExecutorConfig judging() {
        ExecutorConfig defaults = defaults();
        return new ExecutorConfig(defaults.compile(), defaults.run(), defaults.max(), 4096, 256 * MIB);
    }
}
