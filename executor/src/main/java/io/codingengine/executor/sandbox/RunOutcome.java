package io.codingengine.executor.sandbox;

/**
 * What the sandbox observed of one run; the executor turns it into a verdict-ready stage.
 *
 * @param stdout      captured stdout, at most the output limit
 * @param stderr      captured stderr, at most the output limit
 * @param output      both, interleaved in arrival order
 * @param exitCode    exit code when the program exited, else null
 * @param signal      number of the signal that ended it, else null
 * @param timeout     which time limit was hit, or null
 * @param exceeded    which stream went past the output limit, or null
 * @param cpuNanos    CPU time of the run's cgroup
 * @param wallNanos   wall time of the program (measured inside the box)
 * @param peakMemory  peak memory of the cgroup, -1 if unknown
 * @param oomKilled   the memory limit was hit and the kernel killed a process
 * @param internalError a failure of the sandbox itself, else null
 */
public record RunOutcome(
        byte[] stdout,
        byte[] stderr,
        byte[] output,
        Integer exitCode,
        Integer signal,
        Timeout timeout,
        Stream exceeded,
        long cpuNanos,
        long wallNanos,
        long peakMemory,
        boolean oomKilled,
        String internalError) {

    public enum Timeout {
        CPU,
        WALL,
        /** A live run went without input or output for its idle limit. */
        IDLE
    }

    public enum Stream {
        STDOUT,
        STDERR
    }
}
