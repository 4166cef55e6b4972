package io.codingengine.executor.sandbox;

import io.codingengine.common.execution.StageLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sandbox sets up on the host once, at start: the data directory, locked to this engine;
 * the native helper, copied out of the jar; the seccomp filters, compiled by it; the cgroup
 * hierarchy, found (and the names of the groups made on it), when the engine may make groups
 * there; and the bwrap arguments that show the host's runtimes read-only in every box (the same
 * paths are Landlock's under UID isolation). Closing it releases the data directory.
 */
final class SandboxHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxHost.class);
    /**
     * Readable under Landlock besides what a box shows: OpenSSL's configuration, which Node reads
     * at start. A box has no /etc/ssl, and Node ignores the ENOENT; Landlock answers EACCES, and
     * Node stops.
     */
    private static final List<String> LANDLOCK_EXTRA = List.of("/etc/ssl");

    private final Path dataDir;
    private final FileChannel lock;
    private final Path helper;
    /** The seccomp filters, compiled once: with namespaces, and without (no network sockets either). */
    private final Path seccompDefault;

    private final Path seccompNoNetwork;
    /** The filter for UID isolation: no socket and no IPC at all. */
    private final Path seccompUid;

    private final Optional<Cgroups> cgroups;
    private final List<String> readOnlyMounts;
    /** What a box shows read-only, as host paths: what Landlock lets a run read under UID isolation. */
    private final List<String> readablePaths;
    /** What is locked in memory of what boxes show ({@link RuntimePages}); null when locking is off. */
    private final RuntimePages.Status runtimePages;
    /** The kernel's Landlock ABI version (0: none), asked the first time UID isolation needs it. */
    private Integer landlockAbi;
    /** Part of every cgroup's name, so a restarted engine never reuses a group (and its counters). */
    private final String instance = Long.toString(System.nanoTime() & 0xffffffffL, 36);

    private final AtomicLong groups = new AtomicLong();
    /** Where interactions' FIFOs are made: root's alone (0700), never inside a box. */
    private final Path pipes;

    private final AtomicLong interactions = new AtomicLong();

    SandboxHost(SandboxConfig config) {
        this.dataDir = config.dataDir();
        this.lock = lockDataDir(dataDir);
        this.helper = installHelper(dataDir);
        this.seccompDefault = exportFilter("default");
        this.seccompNoNetwork = exportFilter("nonet");
        this.seccompUid = exportFilter("uid");
        this.cgroups = usableCgroups(config.cgroupName());
        this.readOnlyMounts = readOnlyMounts(config.readOnlyPaths());
        this.readablePaths = readablePaths(readOnlyMounts, helper);
        this.runtimePages = config.lockRuntimes() ? RuntimePages.lock(lockedPaths(readOnlyMounts, helper)) : null;
        this.pipes = dataDir.resolve("pipes");
        try {
            Files.createDirectories(pipes);
            Files.setPosixFilePermissions(pipes, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + pipes, e);
        }
    }

    /**
     * A fresh directory holding the two FIFOs of one interaction, {@code in} (the validator to the
     * submission) and {@code out} (the reverse), root's alone (0600 in a 0700 directory under the
     * root-only {@code data-dir/pipes}): only the two relays open them, on the host, before they
     * enter their boxes, and a program cannot open them again through {@code /proc/self/fd}.
     * Named by this start's instance and a counter, never reused.
     */
    Path newPipes() {
        Path dir = pipes.resolve(instance + "-" + interactions.incrementAndGet());
        try {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir, e);
        }
        Libc.mkfifo(dir.resolve("in").toString(), 0600);
        Libc.mkfifo(dir.resolve("out").toString(), 0600);
        return dir;
    }

    /** Removes an interaction's FIFOs (their relays hold what they opened; the names go). */
    static void removePipes(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("in"));
            Files.deleteIfExists(dir.resolve("out"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }

    /** The installed {@code ce-sandbox}, a root-owned 0755 file the sandbox uids can execute. */
    Path helper() {
        return helper;
    }

    /** The filter for boxes with namespaces (which isolate the network). */
    Path seccompDefault() {
        return seccompDefault;
    }

    /** The filter for process isolation: no network namespace, so no socket but a local one. */
    Path seccompNoNetwork() {
        return seccompNoNetwork;
    }

    /** The filter for UID isolation: nothing is the run's own, so no socket and no IPC at all. */
    Path seccompUid() {
        return seccompUid;
    }

    /** The host paths a box shows read-only, and the helper: what a run may read under Landlock. */
    List<String> readablePaths() {
        return readablePaths;
    }

    /** The kernel's Landlock ABI version as the helper sees it (0: no Landlock), asked once. */
    synchronized int landlockAbi() {
        if (landlockAbi == null) {
            String out = helperOutput(List.of(helper.toString(), "landlock"));
            landlockAbi = Integer.parseInt(out.trim());
        }
        return landlockAbi;
    }

    /**
     * Kills every process of {@code uid} ({@code ce-sandbox sweep}): under UID isolation, where no
     * pid namespace ends them, before a slot's first run (an engine that crashed may have left
     * some) and after a run whose relay did not report (it may have died before its own sweep).
     */
    void sweep(int uid) {
        helperOutput(
                List.of(helper.toString(), "sweep", "--uid", Integer.toString(uid), "--gid", Integer.toString(uid)));
    }

    /** bwrap arguments that show the host's runtimes read-only ({@link SandboxConfig#readOnlyPaths()}). */
    List<String> readOnlyMounts() {
        return readOnlyMounts;
    }

    /** What was locked in memory at start of what boxes show; null when {@code lock-runtimes} is off. */
    RuntimePages.Status runtimePages() {
        return runtimePages;
    }

    /** The cgroup hierarchy, for health output: {@code "none"} without one. */
    String describeCgroups() {
        return cgroups.map(Cgroups::describe).orElse("none");
    }

    /**
     * The cgroup of a run in {@code slot}, not made yet: the relay makes it ({@link CgroupSetup}),
     * the caller removes it once the run is over. Null without a cgroup hierarchy.
     */
    RunCgroup planRunCgroup(int slot, StageLimits limits) {
        String name = instance + "-s" + slot + "-r" + groups.incrementAndGet();
        return cgroups.map(c -> c.plan(name, limits)).orElse(null);
    }

    /** A long-lived service's cgroup, made now. Null without a cgroup hierarchy. */
    RunCgroup createServiceCgroup(ServiceSpec spec) {
        // "-service-" tells a long-lived service's group from a run's (which never outlives its run).
        String name = instance + "-service-" + spec.name() + "-" + groups.incrementAndGet();
        return cgroups.map(c -> c.create(name, spec.memoryBytes(), spec.processes()))
                .orElse(null);
    }

    @Override
    public void close() {
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("cannot release the lock of {}: {}", dataDir, e.getMessage());
        }
    }

    /** Root-owned directories the sandbox uids may pass through but not list or write (0711). */
    static void createTraversable(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Path p = dir; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
                var perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    /**
     * One engine per data directory: a second one would unmount the first one's live boxes (a new
     * box replaces whatever a crash left at its path). Held until {@link #close()}.
     */
    private static FileChannel lockDataDir(Path dataDir) {
        createTraversable(dataDir);
        try {
            FileChannel channel =
                    FileChannel.open(dataDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                channel.close();
                throw new IllegalStateException(
                        dataDir + " is in use by another engine process; give each its own data-dir");
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException(dataDir + " is in use by another sandbox in this process", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dataDir, e);
        }
    }

    /** Copies the helper out of the jar to a root-owned 0755 file the sandbox uids can execute. */
    private static Path installHelper(Path dataDir) {
        Path bin = dataDir.resolve("bin");
        createTraversable(bin);
        Path target = bin.resolve("ce-sandbox");
        try (InputStream in = SandboxHost.class.getResourceAsStream("/native/ce-sandbox")) {
            if (in == null) {
                throw new IllegalStateException("native helper missing from the classpath (build with Maven)");
            }
            Path staged = Files.createTempFile(bin, "ce-sandbox", ".new");
            Files.copy(in, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the native helper in " + bin, e);
        }
    }

    /** Compiles a seccomp policy of the helper to BPF once; runs load the file. */
    private Path exportFilter(String policy) {
        Path file = dataDir.resolve("bin").resolve("seccomp-" + policy + ".bpf");
        helperOutput(List.of(helper.toString(), "seccomp", policy, file.toString()));
        return file;
    }

    /**
     * Runs one of the helper's short commands and returns what it printed; a failure is an
     * {@link IllegalStateException} with its message. Its output is a file, not a pipe: the
     * caller may be a virtual thread, which must not block on a process's pipe.
     */
    private String helperOutput(List<String> command) {
        Path out = null;
        try {
            out = Files.createTempFile(dataDir.resolve("bin"), "helper", ".out");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            int code = p.waitFor();
            String text = Files.readString(out).trim();
            if (code != 0) {
                throw new IllegalStateException("ce-sandbox " + command.get(1) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run ce-sandbox " + command.get(1), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    LOG.warn("cannot remove {}: {}", out, e.getMessage());
                }
            }
        }
    }

    /**
     * The cgroup hierarchy, when the engine may make its groups there. A container's cgroup file
     * system is usually read-only (Docker's default): then there are none, limits fall back to
     * rlimits, and the isolation level reports cgroups "none".
     */
    private static Optional<Cgroups> usableCgroups(String name) {
        try {
            return Cgroups.detect(name);
        } catch (UncheckedIOException e) {
            LOG.warn("cgroups found but unusable, limits fall back to rlimits: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The host paths of {@code readOnlyMounts}' binds and links, the helper (the box init is
     * executed from there) and {@link #LANDLOCK_EXTRA}.
     */
    private static List<String> readablePaths(List<String> readOnlyMounts, Path helper) {
        List<String> paths = new ArrayList<>(LANDLOCK_EXTRA);
        for (int i = 0; i < readOnlyMounts.size(); i += 3) {
            // "--ro-bind SOURCE DEST" or "--symlink TARGET LINK": the host path is the second, or the link itself.
            paths.add(
                    readOnlyMounts.get(i).equals("--symlink") ? readOnlyMounts.get(i + 2) : readOnlyMounts.get(i + 1));
        }
        paths.add(helper.toString());
        return List.copyOf(paths);
    }

    /** What a box shows of the host read-only: every bind's source, and the helper (the box's init). */
    private static List<String> lockedPaths(List<String> readOnlyMounts, Path helper) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < readOnlyMounts.size(); i += 3) {
            if (readOnlyMounts.get(i).equals("--ro-bind")) {
                paths.add(readOnlyMounts.get(i + 1));
            }
        }
        paths.add(helper.toString());
        return paths;
    }

    /**
     * bwrap arguments that show the runtimes read-only: each configured path that exists, and
     * the top-level links of a merged-/usr system ({@code /lib -> usr/lib}) as links. A glob in the
     * last segment ({@code /etc/java-*}) expands to every match.
     */
    private static List<String> readOnlyMounts(List<String> paths) {
        List<String> args = new ArrayList<>();
        for (String entry : paths) {
            for (Path p : Globs.expand(entry)) {
                args.addAll(List.of("--ro-bind", p.toString(), p.toString()));
            }
        }
        for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
            Path p = Path.of(top);
            try {
                if (Files.isSymbolicLink(p)) {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), top));
                } else if (Files.isDirectory(p)) {
                    args.addAll(List.of("--ro-bind", top, top));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(args);
    }
}
