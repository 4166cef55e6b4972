package io.codingengine.executor.sandbox;

/**
 * How strongly runs are isolated on this host, found at start-up and shown in health output.
 *
 * @param level   the isolation the sandbox runs with
 * @param cgroups which cgroup hierarchy limits memory, processes and CPU, or "none"
 * @param detail  why the level is not {@link Level#NAMESPACES}, or a short description
 */
public record Isolation(Level level, String cgroups, String detail) {

    public enum Level {
        /** bubblewrap: user, pid, mount, network, ipc and uts namespaces; seccomp; unprivileged uid. */
        NAMESPACES,
        /**
         * No namespaces available (some container platforms): an unprivileged uid per slot,
         * seccomp without network sockets, rlimits and cgroups. Programs can read the host's
         * world-readable files. Reported at start-up and in health, never silent.
         */
        PROCESS
    }

    /** True when runs have every protection DESIGN.md requires. */
    public boolean full() {
        return level == Level.NAMESPACES && !cgroups.equals("none");
    }
}
