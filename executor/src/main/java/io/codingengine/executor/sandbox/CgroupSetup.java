package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes a run's cgroup: its directories (never existing ones: their counters would carry
 * over), then its limits, written in order. The relay does it for a run (a few system calls in C
 * rather than a millisecond of file operations from the JVM); {@link #apply()} does it here.
 *
 * @param dirs     the group's directory in each hierarchy (one on v2)
 * @param settings control files and their values, in the order the kernel needs them
 */
record CgroupSetup(List<Path> dirs, List<Setting> settings) {

    /**
     * @param ifPresent skipped when the file does not exist (a kernel without swap accounting)
     */
    record Setting(Path file, String value, boolean ifPresent) {}

    CgroupSetup {
        dirs = List.copyOf(dirs);
        settings = List.copyOf(settings);
    }

    void apply() {
        for (Path dir : dirs) {
            try {
                Files.createDirectory(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir, e);
            }
        }
        for (Setting s : settings) {
            if (!s.ifPresent() || Files.exists(s.file())) {
                Cgroups.write(s.file(), s.value());
            }
        }
    }

    /** The same as options of {@code ce-sandbox run}. */
    List<String> relayArgs() {
        List<String> args = new ArrayList<>();
        dirs.forEach(d -> args.addAll(List.of("--cgroup-dir", d.toString())));
        settings.forEach(s -> args.addAll(
                List.of(s.ifPresent() ? "--cgroup-set-if-present" : "--cgroup-set", s.file() + "=" + s.value())));
        return args;
    }
}
