package io.codingengine.executor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts that the host is unharmed after a hostile run: nothing left running, canary intact, engine serving. */
final class HostCheck {

    static final Path CANARY = Path.of("/tmp/ce-canary-" + ProcessHandle.current().pid());
    static final String CANARY_TEXT = "the host's own file";

    private HostCheck() {
    }

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
        assertEquals("ok\n", Fixture.run("python", "print('ok')").runs().getFirst().stdout(), "engine still serving");
    }

    /** Nothing of a sandbox's runs left: no process of its uids, no run cgroup under its group. */
    static void assertNothingLeft(int firstUid, int uids, String cgroupName) {
        assertEquals(List.of(), sandboxProcesses(firstUid, uids), "processes of the sandbox's uids still alive");
        List<Path> left = leftoverCgroups(cgroupName);
        assertTrue(left.isEmpty(), "run cgroups left: " + left);
    }

    /** Processes whose real uid is one of the sandbox's (60000 + slot). */
    static List<String> sandboxProcesses() {
        return sandboxProcesses(60000, 200);
    }

    /** Processes whose real uid is in {@code [firstUid, firstUid + count)}. */
    static List<String> sandboxProcesses(int firstUid, int count) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> ownedBy(p, firstUid, count))
                    .map(p -> p.getFileName() + " " + cmdline(p)).toList();
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
     * Run groups left under every hierarchy's group named {@code name}: every child but the group
     * of a live sandboxed service (the warm compiler, meant to outlive runs); an empty service
     * group is a leftover too.
     */
    static List<Path> leftoverCgroups(String name) {
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            return controllers.flatMap(c -> groups(c, name)).flatMap(HostCheck::children)
                    .filter(g -> !(g.getFileName().toString().contains("-service-") && hasProcesses(g))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The groups named {@code name} in a hierarchy. Groups of other programs on the host come and
     * go during the walk; one that vanished is skipped (it cannot be a leftover of ours).
     */
    private static Stream<Path> groups(Path controller, String name) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(controller, Set.of(), 4, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.getFileName() != null && dir.getFileName().toString().equals(name)) {
                        found.add(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    // At the depth limit a directory is visited as a file.
                    if (attrs.isDirectory() && file.getFileName().toString().equals(name)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found.stream();
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
            return Stream.empty();
        }
    }
}
