package io.codingengine.executor.compile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the compile-speed machinery (see docs/architecture.md, "Compile speed").
 *
 * @param precompiledHeaders build and use precompiled headers (catalogue {@code precompiledHeader})
 * @param pchDir             where they are built, shared by every engine of the host (root-owned,
 *                           read-only in the box); reused across restarts while the compiler is the same
 * @param cacheBytes         size bound of the compiled-artifact cache (LRU); 0 turns the cache off
 * @param warmJavac          compile Java in a long-lived, sandboxed compiler JVM per JDK
 * @param javacRestartAfter  compiles after which a warm compiler is replaced by a fresh one
 * @param javacMemoryMiB     heap of a warm compiler
 * @param javacTimeout       longest compile; a warm compiler that takes longer is killed and replaced
 */
public record CompileSettings(
        boolean precompiledHeaders,
        Path pchDir,
        long cacheBytes,
        boolean warmJavac,
        int javacRestartAfter,
        int javacMemoryMiB,
        Duration javacTimeout) {

    public CompileSettings {
        if (cacheBytes < 0 || javacRestartAfter <= 0 || javacMemoryMiB < 64) {
            throw new IllegalArgumentException("cacheBytes >= 0, javacRestartAfter > 0, javacMemoryMiB >= 64");
        }
    }

    /**
     * All on: headers in {@code /usr/local/lib/coding-engine/pch} (under {@code /usr}, which boxes
     * see read-only anyway, like the compilers themselves), a 1 GiB cache, warm javac (200
     * compiles, 512 MiB, 10 s).
     */
    public static CompileSettings defaults() {
        return new CompileSettings(
                true, Path.of("/usr/local/lib/coding-engine/pch"), 1L << 30, true, 200, 512, Duration.ofSeconds(10));
    }

    /** Everything off: every compile is a fresh compiler process in the box. */
    public static CompileSettings off() {
        return new CompileSettings(
                false, Path.of("/usr/local/lib/coding-engine/pch"), 0, false, 200, 512, Duration.ofSeconds(10));
    }

    public CompileSettings withPrecompiledHeaders(boolean value) {
        return new CompileSettings(
                value, pchDir, cacheBytes, warmJavac, javacRestartAfter, javacMemoryMiB, javacTimeout);
    }
}
