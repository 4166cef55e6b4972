package io.codingengine.executor.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The control group of one run: every process of the run is in it, so it limits and measures
 * the whole tree, threads and children included. Closing it kills whatever is left and removes it.
 */
interface RunCgroup extends AutoCloseable {

    /** Files the relay writes its child's pid to, one per hierarchy (v1) or one (v2). */
    List<Path> procsFiles();

    /** The file the relay polls for CPU time. */
    Path cpuUsageFile();

    /** {@code "ns"} (v1 {@code cpuacct.usage}) or {@code "cpu.stat"} (v2 {@code usage_usec}). */
    String cpuUsageFormat();

    /** What makes the group (directories and limits), done by the relay or {@link Cgroups#create}. */
    CgroupSetup setup();

    /** The file with the run's peak memory, swap included where the kernel accounts it (may be absent). */
    Path peakMemoryFile();

    /** The file with the run's {@code oom_kill N} line. */
    Path oomEventsFile();

    /** Peak memory of the run; -1 if unknown. */
    default long peakMemoryBytes() {
        return Files.exists(peakMemoryFile()) ? Long.parseLong(Cgroups.read(peakMemoryFile())) : -1;
    }

    /** True when the kernel's OOM killer killed a process of the run. */
    default boolean oomKilled() {
        return Cgroups.keyed(oomEventsFile(), "oom_kill") > 0;
    }

    /** Kills every process still in the group, including those that left the pid namespace's view. */
    void killAll();

    @Override
    void close();
}
