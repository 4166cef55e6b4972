package io.codingengine.common.execution;

/**
 * What one sandboxed stage did: Piston's stage shape.
 *
 * @param stdout     captured standard output, at most the output limit
 * @param stderr     captured standard error, at most the output limit
 * @param output     stdout and stderr interleaved in the order they arrived
 * @param code       exit code, or {@code null} when the process did not exit by itself
 * @param signal     name of the signal that ended it ({@code "SIGKILL"}), or {@code null}
 * @param status     why it did not end normally, or {@code null} when it exited with 0
 * @param message    human-readable explanation of {@code status}, or {@code null}
 * @param cpuTimeMs  CPU time of all its processes and threads
 * @param wallTimeMs elapsed time
 * @param memoryBytes peak memory of the whole process tree
 */
public record StageResult(
        String stdout,
        String stderr,
        String output,
        Integer code,
        String signal,
        StageStatus status,
        String message,
        long cpuTimeMs,
        long wallTimeMs,
        long memoryBytes) {

    /** True when the stage exited by itself with code 0. */
    public boolean succeeded() {
        return status == null;
    }
}
