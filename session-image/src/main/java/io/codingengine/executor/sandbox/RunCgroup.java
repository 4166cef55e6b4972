package io.codingengine.executor.sandbox;

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

    /** Peak memory of the run, swap included where the kernel accounts it; -1 if unknown. */
    long peakMemoryBytes();

    /** True when the kernel's OOM killer killed a process of the run. */
    boolean oomKilled();

    /** Kills every process still in the group, including those that left the pid namespace's view. */
    void killAll();

    @Override
    void close();
}
