package io.codingengine.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Asserts that the host is unharmed after a hostile run: nothing left running, canary intact, engine serving. */
final class HostCheck {

    static final Path CANARY =
            Path.of("/tmp/ce-canary-" + ProcessHandle.current().pid());
    static final String CANARY_TEXT = "the host's own file";

    private HostCheck() {}

    static void plantCanary() {
        try {
            Files.writeString(CANARY, CANARY_TEXT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertHostUnharmed() {
        assertEquals(List.of(), sandboxProcesses(), "processes of sandbox uids still alive");
        try {
            assertEquals(CANARY_TEXT, Files.readString(CANARY), "host file changed");
        } catch (IOException e) {
            throw new AssertionError("host canary file gone", e);
        }
        assertTrue(leftoverCgroups().isEmpty(), "run cgroups left: " + leftoverCgroups());
        assertEquals(
                "ok\n", Fixture.run("python", "print('ok')").runs().getFirst().stdout(), "engine still serving");
    }

    /**
     * Processes whose real uid is one of the test executor's slots' or their companions' (an
     * interaction's validator side), never another engine's on this host.
     */
    static List<String> sandboxProcesses() {
        return sandboxProcesses(Fixture.UID_BASE, 2 * Fixture.SLOTS);
    }

    /** Processes whose real uid is in {@code [firstUid, firstUid + count)}. */
    static List<String> sandboxProcesses(int firstUid, int count) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> ownedBy(p, firstUid, count))
                    .map(p -> p.getFileName() + " " + cmdline(p))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean ownedBy(Path proc, int firstUid, int count) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("Uid:")) {
                    int uid = Integer.parseInt(line.split("\\s+")[1]);
                    return uid >= firstUid && uid < firstUid + count;
                }
            }
        } catch (IOException e) {
            return false; // exited meanwhile
        }
        return false;
    }

    private static String cmdline(Path proc) {
        try {
            String status = Files.readAllLines(proc.resolve("status")).stream()
                    .filter(l -> l.startsWith("State") || l.startsWith("PPid") || l.startsWith("NSpid"))
                    .reduce("", (a, b) -> a + " " + b.replace('\t', ' '));
            return Files.readString(proc.resolve("cmdline")).replace('\0', ' ') + status;
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<Path> leftoverCgroups() {
        return leftoverCgroups("coding-engine-test");
    }

    /**
     * Run groups left under this JVM's group named {@code name} in every hierarchy: every child but
     * the group of a live sandboxed service (the warm compiler, meant to outlive runs); an empty
     * service group is a leftover too. Only this JVM's own groups count: on this host kind a
     * command's memory group is {@code process_api/<id>}, so an earlier test JVM that died (killed,
     * or a service outliving it) leaves groups under another id that no later engine owns.
     */
    static List<Path> leftoverCgroups(String name) {
        try {
            String unified = unifiedMount();
            List<String> own = Files.readAllLines(Path.of("/proc/self/cgroup"));
            List<Path> groups = own.stream()
                    .map(line -> line.split(":", 3))
                    .filter(f -> f.length == 3)
                    .map(f -> f[1].isEmpty()
                            ? (unified == null ? null : Path.of(unified, f[2], name))
                            : Path.of("/sys/fs/cgroup", f[1].split(",")[0], f[2], name))
                    .filter(java.util.Objects::nonNull)
                    .map(Path::normalize)
                    .filter(Files::isDirectory)
                    .distinct()
                    .toList();
            // The executor makes its group in every hierarchy it uses; finding none would check nothing.
            boolean v1 = own.stream().anyMatch(line -> line.matches("\\d+:([^:]*,)?memory(,[^:]*)?:.*"));
            assertTrue(
                    v1
                            ? groups.stream().anyMatch(g -> g.startsWith("/sys/fs/cgroup/memory"))
                                    && groups.stream().anyMatch(g -> g.startsWith("/sys/fs/cgroup/pids"))
                            : !groups.isEmpty(),
                    "this JVM's " + name + " groups not found: " + groups);
            return groups.stream()
                    .flatMap(HostCheck::children)
                    .filter(g -> !(g.getFileName().toString().contains("-service-") && hasProcesses(g)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where cgroup v2 is mounted (the host's only hierarchy, or one beside v1), or null. */
    private static String unifiedMount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
                return halves[0].split(" ")[4];
            }
        }
        return null;
    }

    private static boolean hasProcesses(Path group) {
        try {
            return !Files.readString(group.resolve("cgroup.procs")).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    private static Stream<Path> children(Path group) {
        try {
            return Files.list(group).filter(Files::isDirectory).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
