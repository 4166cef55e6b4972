package io.codingengine.executor.sandbox;

import io.codingengine.common.execution.StageLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Creates run cgroups on the hierarchy the host has: {@link CgroupV1} (this machine and many
 * container hosts) or {@link CgroupV2} (modern systemd hosts).
 */
interface Cgroups {

    /**
     * A cgroup limited to {@code memoryBytes} (swap included), {@code processes} (+2 for the relay
     * or bwrap and the box init) and one CPU, not made yet: its {@link RunCgroup#setup()} makes it
     * (the relay does, for a run in a pre-started box).
     */
    RunCgroup plan(String name, long memoryBytes, int processes);

    /** A cgroup for one run, not made yet. */
    default RunCgroup plan(String name, StageLimits limits) {
        return plan(name, limits.memoryBytes(), limits.processes());
    }

    /** Creates a configured, empty cgroup for one run, here. */
    default RunCgroup create(String name, StageLimits limits) {
        return create(name, limits.memoryBytes(), limits.processes());
    }

    /** Creates a configured, empty cgroup, here; for a run or a long-lived service. */
    default RunCgroup create(String name, long memoryBytes, int processes) {
        RunCgroup group = plan(name, memoryBytes, processes);
        group.setup().apply();
        return group;
    }

    /** For health output: {@code "cgroup v1 (memory, pids, cpu, cpuacct, freezer)"}. */
    String describe();

    /**
     * Finds a usable hierarchy from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}:
     * v1 when it has the memory, pids and cpuacct controllers, else v2 when its root offers memory
     * and pids; empty when neither (then the sandbox falls back to rlimits and says so).
     */
    static Optional<Cgroups> detect(String group) {
        try {
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            List<String> own = Files.readAllLines(Path.of("/proc/self/cgroup"));
            Optional<Cgroups> v1 = CgroupV1.detect(mounts, own, group);
            return v1.isPresent() ? v1 : CgroupV2.detect(mounts, own, group, List.of("memory", "pids"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a control file; cgroup files take one value per write. */
    static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value + " to " + file, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of {@code key} in a flat-keyed file ({@code "oom_kill 3"}), or -1. */
    static long keyed(Path file, String key) {
        if (!Files.exists(file)) {
            return -1;
        }
        for (String line : read(file).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) {
                return Long.parseLong(kv[1]);
            }
        }
        return -1;
    }

    /**
     * Removes a cgroup directory, waiting for the kernel to release dying tasks: up to 10 s, as a
     * loaded host can take seconds to reap a killed service's processes (a group given up on after
     * one second stayed behind, empty, in every hierarchy after the first).
     */
    static void remove(Path dir) {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                if (attempt == 2000) {
                    throw new UncheckedIOException("cannot remove " + dir, e);
                }
                Thread.onSpinWait();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("interrupted removing " + dir, e);
                }
            }
        }
    }

    /**
     * Removes run groups a crashed engine left behind. Only empty groups can be removed, so a group
     * with live processes (another engine's run) is never touched.
     */
    static void removeEmptyChildren(Path base) {
        try (var children = Files.list(base)) {
            children.filter(Files::isDirectory).forEach(child -> {
                try {
                    Files.delete(child);
                } catch (IOException busyOrGone) {
                    // in use, or removed meanwhile: not ours to clean
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    /** Mount point of a v1 controller or of v2 ("cgroup2"), from a mountinfo line, or null. */
    static String mountPoint(String mountinfoLine, String fsType, String option) {
        String[] halves = mountinfoLine.split(" - ", 2);
        if (halves.length < 2) {
            return null;
        }
        String[] post = halves[1].split(" ");
        String[] pre = halves[0].split(" ");
        if (!post[0].equals(fsType)) {
            return null;
        }
        if (option != null && !List.of(post[post.length - 1].split(",")).contains(option)) {
            return null;
        }
        return pre[4];
    }
}
