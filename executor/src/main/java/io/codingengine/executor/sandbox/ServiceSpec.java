package io.codingengine.executor.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A long-lived program to run in its own sandbox ({@link Sandbox#startService}): the warm Java
 * compiler. It talks to the host on its stdin and stdout.
 *
 * @param name          part of its cgroup's name
 * @param uid           its unprivileged uid and gid, never a slot's
 * @param memoryBytes   memory limit of its cgroup, swap and tmpfs included
 * @param processes     processes and threads it may have
 * @param binds         host directories writable inside: host path → path inside
 * @param readOnlyBinds host files or directories shown read-only: host path → path inside
 * @param chdir         its working directory inside
 * @param env           its whole environment
 * @param command       the program and its arguments, paths as seen inside
 */
public record ServiceSpec(
        String name,
        int uid,
        long memoryBytes,
        int processes,
        Map<Path, String> binds,
        Map<Path, String> readOnlyBinds,
        String chdir,
        Map<String, String> env,
        List<String> command) {

    public ServiceSpec {
        binds = Map.copyOf(binds);
        readOnlyBinds = Map.copyOf(readOnlyBinds);
        env = Map.copyOf(env);
        command = List.copyOf(command);
        if (memoryBytes <= 0 || processes <= 0 || command.isEmpty()) {
            throw new IllegalArgumentException("a service needs a memory limit, a process limit and a command");
        }
    }
}
