package io.codingengine.executor.sandbox;

import java.util.List;

/**
 * How strongly runs are isolated on this host, found at start-up and shown in health output.
 *
 * @param level       the isolation the sandbox runs with
 * @param cgroups     which cgroup hierarchy limits memory, processes and CPU, or "none"
 * @param detail      why the level is not {@link Level#NAMESPACES}, or a short description
 * @param notIsolated what runs share with each other or with the host at this level, beyond what
 *                    every level shares (docs/sandbox.md); empty with {@link Level#NAMESPACES} unless
 *                    the runtimes could not be locked in memory ({@link RuntimePages})
 */
public record Isolation(Level level, String cgroups, String detail, List<String> notIsolated) {

    public Isolation {
        notIsolated = List.copyOf(notIsolated);
    }

    public enum Level {
        /** bubblewrap: user, pid, mount, network, ipc and uts namespaces; seccomp; unprivileged uid. */
        NAMESPACES,
        /**
         * No namespaces available (some container platforms): an unprivileged uid per slot,
         * seccomp without network sockets, rlimits and cgroups. Programs can read the host's
         * world-readable files. Reported at start-up and in health, never silent.
         */
        PROCESS,
        /**
         * Neither a namespace nor a mount (a container with Docker's default capabilities, such
         * as an Azure Container Apps session): an unprivileged uid per slot and nothing else of the
         * run's own. seccomp without any socket or IPC, rlimits, a fresh 0700 work directory per
         * run, every process of the uid killed before and after each run, Landlock where the
         * kernel has it; cgroups where they can be made, else CPU time and memory read from
         * {@code /proc}. Only chosen where allowed ({@link SandboxConfig#allowUidIsolation()}),
         * and then reported with what it does not isolate.
         */
        UID
    }

    /** True when runs have every protection DESIGN.md requires. */
    public boolean full() {
        return level == Level.NAMESPACES && !cgroups.equals("none") && notIsolated.isEmpty();
    }
}
