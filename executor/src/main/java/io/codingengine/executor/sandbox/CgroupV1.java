package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cgroup v1: one directory per controller hierarchy. Memory is limited with swap included
 * ({@code memsw}, set after {@code limit_in_bytes} because the kernel requires memsw ≥ memory),
 * peak and OOM kills come from {@code max_usage_in_bytes} and {@code oom_control}, CPU time from
 * {@code cpuacct.usage}. v1 has no {@code cgroup.kill}: leftovers are frozen, killed, thawed.
 */
final class CgroupV1 implements Cgroups {

    static final List<String> REQUIRED = List.of("memory", "pids", "cpuacct");
    static final List<String> OPTIONAL = List.of("cpu", "freezer");

    /** Controller name → this process's group directory + our group, e.g. .../memory/x/coding-engine. */
    private final Map<String, Path> bases;
    /** The kernel accounts swap ({@code memsw} files): limits and peaks include it. */
    private final boolean memsw;

    CgroupV1(Map<String, Path> bases) {
        this.bases = Map.copyOf(bases);
        for (Path base : new LinkedHashSet<>(bases.values())) {
            try {
                Files.createDirectories(base);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + base, e);
            }
            Cgroups.removeEmptyChildren(base);
        }
        // Read from our own group, so only once it exists: on a fresh host it did not before.
        this.memsw = Files.exists(bases.get("memory").resolve("memory.memsw.limit_in_bytes"));
    }

    static Optional<Cgroups> detect(List<String> mountinfo, List<String> ownGroups, String group) {
        Map<String, Path> bases = new LinkedHashMap<>();
        for (String controller : concat(REQUIRED, OPTIONAL)) {
            String own = ownGroups.stream()
                    .map(line -> line.split(":", 3))
                    .filter(f -> f.length == 3 && List.of(f[1].split(",")).contains(controller))
                    .map(f -> f[2])
                    .findFirst()
                    .orElse(null);
            String mount = mountinfo.stream()
                    .map(line -> Cgroups.mountPoint(line, "cgroup", controller))
                    .filter(m -> m != null)
                    .findFirst()
                    .orElse(null);
            if (own != null && mount != null) {
                bases.put(controller, Path.of(mount + own).resolve(group).normalize());
            }
        }
        if (!bases.keySet().containsAll(REQUIRED)) {
            return Optional.empty();
        }
        return Optional.of(new CgroupV1(bases));
    }

    @Override
    public RunCgroup plan(String name, long memoryBytes, int processes) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        bases.forEach((controller, base) -> dirs.put(controller, base.resolve(name)));
        Path memory = dirs.get("memory");
        String bytes = Long.toString(memoryBytes);
        List<CgroupSetup.Setting> settings = new ArrayList<>();
        settings.add(new CgroupSetup.Setting(memory.resolve("memory.limit_in_bytes"), bytes, false));
        if (memsw) {
            // After limit_in_bytes: the kernel requires memsw >= memory.
            settings.add(new CgroupSetup.Setting(memory.resolve("memory.memsw.limit_in_bytes"), bytes, false));
        }
        // The relay (bwrap) and the box init are in the group too.
        settings.add(
                new CgroupSetup.Setting(dirs.get("pids").resolve("pids.max"), Integer.toString(processes + 2), false));
        Path cpu = dirs.get("cpu");
        if (cpu != null) {
            settings.add(new CgroupSetup.Setting(cpu.resolve("cpu.cfs_period_us"), "100000", false));
            settings.add(new CgroupSetup.Setting(cpu.resolve("cpu.cfs_quota_us"), "100000", false));
        }
        return new Run(dirs, memsw, new CgroupSetup(List.copyOf(new LinkedHashSet<>(dirs.values())), settings));
    }

    @Override
    public String describe() {
        return "cgroup v1 " + bases.keySet();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private record Run(Map<String, Path> dirs, boolean memsw, CgroupSetup setup) implements RunCgroup {

        @Override
        public List<Path> procsFiles() {
            return new LinkedHashSet<>(dirs.values())
                    .stream().map(d -> d.resolve("cgroup.procs")).toList();
        }

        @Override
        public Path cpuUsageFile() {
            return dirs.get("cpuacct").resolve("cpuacct.usage");
        }

        @Override
        public String cpuUsageFormat() {
            return "ns";
        }

        @Override
        public Path peakMemoryFile() {
            return dirs.get("memory").resolve(memsw ? "memory.memsw.max_usage_in_bytes" : "memory.max_usage_in_bytes");
        }

        @Override
        public Path oomEventsFile() {
            return dirs.get("memory").resolve("memory.oom_control");
        }

        @Override
        public void killAll() {
            Path procs = dirs.get("pids").resolve("cgroup.procs");
            Path freezer = dirs.get("freezer");
            for (int round = 0; round < 1000; round++) {
                List<Long> pids = Processes.list(procs);
                if (pids.isEmpty()) {
                    return;
                }
                if (freezer != null) {
                    Cgroups.write(freezer.resolve("freezer.state"), "FROZEN");
                }
                pids.forEach(Processes::kill);
                if (freezer != null) {
                    Cgroups.write(freezer.resolve("freezer.state"), "THAWED");
                }
                Processes.pause();
            }
            throw new IllegalStateException("processes survive in " + procs);
        }

        @Override
        public void close() {
            killAll();
            // Every hierarchy's group is tried, so one that cannot go leaves no others behind.
            RuntimeException first = null;
            for (Path dir : new LinkedHashSet<>(dirs.values())) {
                try {
                    Cgroups.remove(dir);
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
