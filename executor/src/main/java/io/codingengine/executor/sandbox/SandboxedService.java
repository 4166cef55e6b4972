package io.codingengine.executor.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running {@link ServiceSpec}: its process (the host's end of its stdin and stdout) and its
 * cgroup. Closing it kills every process of the service, those that left the process tree
 * included, and removes the cgroup; a new start gets a new cgroup with fresh counters.
 */
public final class SandboxedService implements AutoCloseable {

    private final Process process;
    private final RunCgroup cgroup;

    SandboxedService(Process process, RunCgroup cgroup) {
        this.process = process;
        this.cgroup = cgroup;
    }

    public Process process() {
        return process;
    }

    /** True when the kernel's OOM killer killed a process of the service (its cgroup's memory limit). */
    public boolean oomKilled() {
        return cgroup != null && cgroup.oomKilled();
    }

    /** The cgroup's process list files (one per v1 hierarchy); empty without cgroups. */
    public Optional<List<Path>> cgroupProcs() {
        return cgroup == null ? Optional.empty() : Optional.of(cgroup.procsFiles());
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (cgroup != null) {
            cgroup.close();
        }
    }
}
