package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * cgroup v2 (Documentation/admin-guide/cgroup-v2.rst): one directory per run under our group,
 * with the controllers our group's parent delegates. Memory with {@code memory.max} and
 * {@code memory.swap.max = 0} (so swap cannot extend it), peak from {@code memory.peak}
 * (kernel ≥ 5.19), OOM kills from {@code memory.events}, CPU time from {@code cpu.stat}
 * (present without the cpu controller), and {@code cgroup.kill} (kernel ≥ 5.14) ends every
 * process in one write.
 */
final class CgroupV2 implements Cgroups {

    private final Path base;
    private final Set<String> controllers;

    /**
     * @param base        our group, e.g. {@code /sys/fs/cgroup/system.slice/ce.service/runs}
     * @param controllers the controllers to enable for runs (those the parent offers)
     */
    CgroupV2(Path base, Set<String> controllers) {
        this.base = base;
        this.controllers = Set.copyOf(controllers);
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + base, e);
        }
        Cgroups.removeEmptyChildren(base);
        if (!controllers.isEmpty()) {
            String enable = controllers.stream().sorted().map(c -> "+" + c).collect(Collectors.joining(" "));
            Cgroups.write(base.resolve("cgroup.subtree_control"), enable);
        }
    }

    static Optional<Cgroups> detect(
            List<String> mountinfo, List<String> ownGroups, String group, List<String> required) {
        String mount = mountinfo.stream()
                .map(l -> Cgroups.mountPoint(l, "cgroup2", null))
                .filter(m -> m != null)
                .findFirst()
                .orElse(null);
        String own = ownGroups.stream()
                .filter(l -> l.startsWith("0::"))
                .map(l -> l.substring(3))
                .findFirst()
                .orElse(null);
        if (mount == null || own == null) {
            return Optional.empty();
        }
        Path parent = Path.of(mount + own).normalize();
        Set<String> offered =
                Set.of(Cgroups.read(parent.resolve("cgroup.controllers")).split("\\s+"));
        if (!offered.containsAll(required)) {
            return Optional.empty();
        }
        Set<String> wanted = Arrays.stream(new String[] {"memory", "pids", "cpu"})
                .filter(offered::contains)
                .collect(Collectors.toSet());
        // Our group's parent must delegate the controllers to our group. v2 allows no process in
        // a group that delegates ("no internal processes"), so the engine moves into a leaf first.
        String enable = wanted.stream().sorted().map(c -> "+" + c).collect(Collectors.joining(" "));
        try {
            Cgroups.write(parent.resolve("cgroup.subtree_control"), enable);
        } catch (UncheckedIOException busy) {
            Path leaf = parent.resolve("engine");
            try {
                Files.createDirectories(leaf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Cgroups.write(
                    leaf.resolve("cgroup.procs"),
                    Long.toString(ProcessHandle.current().pid()));
            Cgroups.write(parent.resolve("cgroup.subtree_control"), enable);
        }
        return Optional.of(new CgroupV2(parent.resolve(group), wanted));
    }

    @Override
    public RunCgroup plan(String name, long memoryBytes, int processes) {
        Path dir = base.resolve(name);
        List<CgroupSetup.Setting> settings = new ArrayList<>();
        if (controllers.contains("memory")) {
            settings.add(new CgroupSetup.Setting(dir.resolve("memory.max"), Long.toString(memoryBytes), false));
            settings.add(new CgroupSetup.Setting(dir.resolve("memory.swap.max"), "0", true));
        }
        if (controllers.contains("pids")) {
            settings.add(new CgroupSetup.Setting(dir.resolve("pids.max"), Integer.toString(processes + 2), false));
        }
        if (controllers.contains("cpu")) {
            settings.add(new CgroupSetup.Setting(dir.resolve("cpu.max"), "100000 100000", false));
        }
        return new Run(dir, new CgroupSetup(List.of(dir), settings));
    }

    @Override
    public String describe() {
        return "cgroup v2 " + controllers.stream().sorted().toList();
    }

    private record Run(Path dir, CgroupSetup setup) implements RunCgroup {

        @Override
        public List<Path> procsFiles() {
            return List.of(dir.resolve("cgroup.procs"));
        }

        @Override
        public Path cpuUsageFile() {
            return dir.resolve("cpu.stat");
        }

        @Override
        public String cpuUsageFormat() {
            return "cpu.stat";
        }

        @Override
        public Path peakMemoryFile() {
            return dir.resolve("memory.peak");
        }

        @Override
        public Path oomEventsFile() {
            return dir.resolve("memory.events");
        }

        @Override
        public void killAll() {
            Path procs = dir.resolve("cgroup.procs");
            Path kill = dir.resolve("cgroup.kill");
            for (int round = 0; round < 1000; round++) {
                List<Long> pids = Processes.list(procs);
                if (pids.isEmpty()) {
                    return;
                }
                if (Files.exists(kill)) {
                    Cgroups.write(kill, "1");
                } else {
                    Cgroups.write(dir.resolve("cgroup.freeze"), "1");
                    pids.forEach(Processes::kill);
                    Cgroups.write(dir.resolve("cgroup.freeze"), "0");
                }
                Processes.pause();
            }
            throw new IllegalStateException("processes survive in " + procs);
        }

        @Override
        public void close() {
            killAll();
            Cgroups.remove(dir);
        }
    }
}
