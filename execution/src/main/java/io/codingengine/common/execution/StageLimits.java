package io.codingengine.common.execution;

import java.time.Duration;

/**
 * Every limit of one sandboxed stage (a compile or a run), explicit. Values are always positive;
 * a request that leaves a limit out gets the language's default, never "unlimited".
 *
 * @param cpuTime      CPU time of the whole process tree, measured by the cgroup
 * @param wallTime     elapsed time from start to the end of the last process
 * @param memoryBytes  memory including swap, page cache and off-heap, for the whole tree
 * @param processes    processes and threads alive at once
 * @param outputBytes  bytes captured per stream (stdout, stderr); the run is stopped past it
 * @param fileSizeBytes largest file the program may write
 * @param openFiles    file descriptors per process
 * @param diskBytes    size of the writable work directory and of {@code /tmp}, each
 * @param diskInodes   inodes of the writable work directory and of {@code /tmp}, each
 */
public record StageLimits(
        Duration cpuTime,
        Duration wallTime,
        long memoryBytes,
        int processes,
        long outputBytes,
        long fileSizeBytes,
        int openFiles,
        long diskBytes,
        int diskInodes) {

    public StageLimits {
        requirePositive(cpuTime.toMillis(), "cpuTime");
        requirePositive(wallTime.toMillis(), "wallTime");
        requirePositive(memoryBytes, "memoryBytes");
        requirePositive(processes, "processes");
        requirePositive(outputBytes, "outputBytes");
        requirePositive(fileSizeBytes, "fileSizeBytes");
        requirePositive(openFiles, "openFiles");
        requirePositive(diskBytes, "diskBytes");
        requirePositive(diskInodes, "diskInodes");
    }

    public StageLimits withCpuTime(Duration value) {
        return new StageLimits(
                value, wallTime, memoryBytes, processes, outputBytes, fileSizeBytes, openFiles, diskBytes, diskInodes);
    }

    public StageLimits withWallTime(Duration value) {
        return new StageLimits(
                cpuTime, value, memoryBytes, processes, outputBytes, fileSizeBytes, openFiles, diskBytes, diskInodes);
    }

    public StageLimits withMemoryBytes(long value) {
        return new StageLimits(
                cpuTime, wallTime, value, processes, outputBytes, fileSizeBytes, openFiles, diskBytes, diskInodes);
    }

    public StageLimits withOutputBytes(long value) {
        return new StageLimits(
                cpuTime, wallTime, memoryBytes, processes, value, fileSizeBytes, openFiles, diskBytes, diskInodes);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
