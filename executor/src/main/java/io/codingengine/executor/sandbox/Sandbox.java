package io.codingengine.executor.sandbox;

import io.codingengine.common.execution.StageLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs programs in boxes. A box ({@link Box}) is a slot's private work directory for one
 * submission; each run in it is a fresh process tree in a fresh cgroup with a fresh {@code /tmp},
 * started by the native relay ({@code ce-sandbox run}) with seccomp, an unprivileged uid and every
 * limit of {@link StageLimits}. With namespaces, runs enter the slot's pre-started box
 * ({@link BoxPool}: bubblewrap's namespaces and mounts built once per slot, fresh network, pid,
 * IPC, cgroup and mount namespaces per run), through a relay the slot's {@link RelayServer} forked in advance;
 * with {@link SandboxConfig#recycleAfter()} 0, or when a pre-started box cannot be built,
 * bubblewrap builds a fresh box per run and the JVM starts a relay per run. At most {@link SandboxConfig#slots()}
 * boxes are open at once; {@link #open} waits for a free slot.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    private static final String INIT_IN_BOX = "/.ce/init";
    private static final int SECCOMP_FD = 3;
    private static final int STATUS_FD = 4;
    private static final int INFO_FD = 5;
    private static final int BLOCK_FD = 6;
    private static final long DEV_SHM_BYTES = 16L << 20;

    private final SandboxConfig config;
    private final Path helper;
    /** The seccomp filters, compiled once: with namespaces, and without (no network sockets either). */
    private final Path seccompDefault;
    private final Path seccompNoNetwork;
    private final Optional<Cgroups> cgroups;
    private final BlockingQueue<Integer> freeSlots;
    private final AtomicLong runCounter = new AtomicLong();
    /** Part of every run cgroup's name, so a restarted engine never reuses a group (and its counters). */
    private final String instance = Long.toString(System.nanoTime() & 0xffffffffL, 36);
    private final FileChannel lock;
    private final List<String> mountArgs;
    private final Isolation isolation;
    private final BoxPool pool;

    public Sandbox(SandboxConfig config) {
        this.config = config;
        this.lock = lockDataDir(config.dataDir());
        this.helper = installHelper(config.dataDir());
        this.seccompDefault = exportFilter(config.dataDir(), "default");
        this.seccompNoNetwork = exportFilter(config.dataDir(), "nonet");
        this.cgroups = Cgroups.detect(config.cgroupName());
        this.freeSlots = new ArrayBlockingQueue<>(config.slots());
        for (int i = 0; i < config.slots(); i++) {
            freeSlots.add(i);
        }
        this.mountArgs = readOnlyMounts(config.readOnlyPaths());
        this.isolation = probe();
        this.pool = startPool();
        // The probe proved the helper works; from here on a failed run is the run's problem.
        if (isolation.full()) {
            LOG.info("sandbox ready: {} slots, isolation {} with {}, {}", config.slots(), isolation.level(), isolation.cgroups(),
                    pool != null ? "pre-started boxes recycled every " + config.recycleAfter() + " runs" : "a fresh box per run");
        } else {
            LOG.warn("sandbox DEGRADED: isolation {} with {}: {}", isolation.level(), isolation.cgroups(), isolation.detail());
        }
    }

    public Isolation isolation() {
        return isolation;
    }

    /** The configuration the sandbox was started with. */
    public SandboxConfig config() {
        return config;
    }

    public int slots() {
        return config.slots();
    }

    /**
     * Opens a box, waiting for a free slot.
     *
     * @param diskBytes  size cap of the work directory and of /tmp, each
     * @param diskInodes inode cap of each
     */
    public Box open(long diskBytes, int diskInodes) throws InterruptedException {
        int slot = freeSlots.take();
        try {
            return openAt(slot, diskBytes, diskInodes);
        } catch (RuntimeException e) {
            freeSlots.add(slot);
            throw e;
        }
    }

    private Box openAt(int slot, long diskBytes, int diskInodes) {
        Path root = config.dataDir().resolve("boxes").resolve(Integer.toString(slot));
        createTraversable(root);
        return new Box(this, slot, BoxMounts.mount(root, config.uidBase() + slot, diskBytes, diskInodes));
    }

    void release(int slot) {
        freeSlots.add(slot);
    }

    /**
     * Runs one program in {@code box}; the previous run's processes, /tmp and IPC objects are
     * gone. With the pool, the slot's pre-started box is entered; if that fails before the
     * program started, the run is retried once in a newly built box, then in a fresh bwrap box.
     */
    RunOutcome run(Box box, RunSpec spec) {
        box.mounts().beforeRun();
        if (pool != null) {
            for (int attempt = 0; attempt < 2; attempt++) {
                Attempt a = runPooled(pool, box, spec);
                if (a.boxError() == null) {
                    return a.outcome();
                }
                pool.flag(box.slot(), a.boxError());
            }
            LOG.warn("slot {}: pre-started box unusable, running in a fresh box", box.slot());
        }
        return runOnce(box, spec, isolation.level(), null).outcome();
    }

    /** A run's outcome, or why the pooled box could not be entered (then no untrusted code ran). */
    private record Attempt(RunOutcome outcome, String boxError) {
    }

    /** The pre-started box a run entered. */
    private record Pooled(BoxPool pool, Path pins) {
    }

    private Attempt runPooled(BoxPool boxes, Box box, RunSpec spec) {
        Path pins;
        try {
            pins = boxes.acquire(box.slot(), p -> boxCommand(box.slot(), p));
        } catch (RuntimeException e) {
            return new Attempt(null, e.getMessage());
        }
        return runOnce(box, spec, Isolation.Level.NAMESPACES, new Pooled(boxes, pins));
    }

    private Attempt runOnce(Box box, RunSpec spec, Isolation.Level level, Pooled pooled) {
        StageLimits limits = spec.limits();
        String name = instance + "-s" + box.slot() + "-r" + runCounter.incrementAndGet();
        // Made by the relay (CgroupSetup), removed here once the run is over.
        RunCgroup cgroup = cgroups.map(c -> c.plan(name, limits)).orElse(null);
        try {
            List<String> command = pooled != null ? pooledCommand(box, spec, cgroup, pooled.pins())
                    : relayCommand(box, spec, cgroup, level);
            Relay.Result result = pooled != null ? Relay.run(pooled.pool().relay(box.slot()), command, spec.stdin())
                    : Relay.run(withHelper(command), spec.stdin());
            if (result.boxError() != null) {
                return new Attempt(null, result.boxError());
            }
            return new Attempt(result.toOutcome(), null);
        } finally {
            if (cgroup != null) {
                // With namespaces the box's processes are all gone when the relay returns (the pid
                // namespace died with its init), so removing the cgroup can leave the hot path;
                // the box waits for it on close. Without namespaces the sweep must finish first.
                if (level == Isolation.Level.NAMESPACES) {
                    box.afterRun(Thread.ofVirtual().name("cgroup-cleanup").start(() -> cleanUp(cgroup, box.slot(), pooled)));
                } else {
                    cgroup.close();
                }
            }
        }
    }

    /**
     * Removes a run's cgroup. In a pooled box a process still in the group (none should be: the
     * run's pid namespace died with its init) or a failed cleanup recycles the box.
     */
    private static void cleanUp(RunCgroup cgroup, int slot, Pooled pooled) {
        try {
            if (pooled != null && !Processes.list(cgroup.procsFiles().getFirst()).isEmpty()) {
                pooled.pool().flag(slot, "a process of a run outlived it");
            }
            cgroup.close();
        } catch (RuntimeException e) {
            LOG.error("cannot clean up a run cgroup", e);
            if (pooled != null) {
                pooled.pool().flag(slot, "a run's cleanup failed: " + e.getMessage());
            }
        }
    }

    /** A relay started for this run alone: {@code ce-sandbox run} with {@code args}. */
    private List<String> withHelper(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(helper.toString(), "run"));
        cmd.addAll(args);
        return cmd;
    }

    /** The relay's ({@code ce-sandbox run}'s) options common to every kind of box. */
    private List<String> relayPrefix(Box box, RunSpec spec, RunCgroup cgroup) {
        StageLimits limits = spec.limits();
        int uid = box.mounts().uid();
        List<String> cmd = new ArrayList<>();
        if (cgroup != null) {
            cmd.addAll(cgroup.setup().relayArgs());
            cmd.addAll(List.of("--memory-peak", cgroup.peakMemoryFile().toString(),
                    "--oom-events", cgroup.oomEventsFile().toString()));
            cgroup.procsFiles().forEach(f -> cmd.addAll(List.of("--cgroup-procs", f.toString())));
            cmd.addAll(List.of("--cpu-usage", cgroup.cpuUsageFile().toString(),
                    "--cpu-usage-format", cgroup.cpuUsageFormat()));
        }
        cmd.addAll(List.of("--cpu-limit-ms", Long.toString(limits.cpuTime().toMillis()),
                "--wall-limit-ms", Long.toString(limits.wallTime().toMillis()),
                "--output-limit", Long.toString(limits.outputBytes()),
                "--uid", Integer.toString(uid), "--gid", Integer.toString(uid),
                "--status-fd", Integer.toString(STATUS_FD)));
        if (spec.cutStderr()) {
            cmd.add("--cut-stderr");
        }
        return cmd;
    }

    /** The box init's arguments: rlimits, then the program. */
    private static List<String> initArgs(RunSpec spec, RunCgroup cgroup) {
        List<String> init = new ArrayList<>(List.of("init", "--status-fd", Integer.toString(STATUS_FD)));
        rlimits(spec.limits(), cgroup == null).forEach(r -> init.addAll(List.of("--rlimit", r)));
        init.add("--");
        init.addAll(spec.command());
        return init;
    }

    /**
     * A run in the slot's pre-started box: {@code run --enter} (see {@link BoxPool}); the relay's
     * child becomes the box init itself ({@code --init-here}), without executing a second binary.
     */
    private List<String> pooledCommand(Box box, RunSpec spec, RunCgroup cgroup, Path pins) {
        List<String> cmd = relayPrefix(box, spec, cgroup);
        cmd.addAll(List.of("--seccomp", seccompDefault.toString(), "--enter", pins.toString(),
                "--work", box.work().toString(),
                "--tmp-bytes", Long.toString(box.mounts().bytes()),
                "--tmp-inodes", Integer.toString(box.mounts().inodes()),
                "--shm-bytes", Long.toString(DEV_SHM_BYTES)));
        spec.env().forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
        cmd.addAll(List.of("--init-here", "--"));
        cmd.addAll(initArgs(spec, cgroup));
        return cmd;
    }

    /**
     * Builds a slot's pre-started box: bwrap makes the namespaces and read-only mounts once and
     * starts {@code init hold}; {@code ce-sandbox box} pins them at {@code pins}. The work
     * directory, /tmp, /dev/shm and /proc are mounted per run, inside the run's own mount namespace.
     */
    private List<String> boxCommand(int slot, Path pins) {
        String uid = Integer.toString(config.uidBase() + slot);
        List<String> cmd = new ArrayList<>(List.of(helper.toString(), "box", "--uid", uid, "--gid", uid,
                "--pins", pins.toString()));
        cmd.add("--");
        cmd.addAll(bwrapNamespaces(uid));
        cmd.addAll(List.of("--dir", "/box", "--dir", "/tmp",
                "--ro-bind", helper.toString(), INIT_IN_BOX,
                "--remount-ro", "/dev", "--remount-ro", "/",
                "--chdir", "/", "--clearenv", "--info-fd", "5", "--", INIT_IN_BOX, "init", "hold"));
        return cmd;
    }

    /**
     * Starts a long-lived program (the warm Java compiler) sandboxed like a run, but for many
     * requests: its own cgroup ({@code spec}'s memory with swap, processes, one CPU), all of a box's
     * namespaces with a network namespace of its own (loopback only), the runtimes read-only,
     * the box's seccomp filter (handed to bwrap, loaded just before the program's exec), its own
     * uid, no capabilities, {@code no_new_privs}, and a capped {@code /tmp}. {@code ce-sandbox
     * service} joins the cgroup before bwrap runs, so every process of the service is in it.
     *
     * @throws IllegalStateException when the host allows no namespaces (the service then does not run)
     */
    public SandboxedService startService(ServiceSpec spec) throws IOException {
        if (isolation.level() != Isolation.Level.NAMESPACES) {
            throw new IllegalStateException("a sandboxed service needs namespaces; isolation is " + isolation.level());
        }
        // "-service-" tells a long-lived service's group from a run's (which never outlives its run).
        String name = instance + "-service-" + spec.name() + "-" + runCounter.incrementAndGet();
        RunCgroup cgroup = cgroups.map(c -> c.create(name, spec.memoryBytes(), spec.processes())).orElse(null);
        String uid = Integer.toString(spec.uid());
        List<String> cmd = new ArrayList<>(List.of(helper.toString(), "service"));
        if (cgroup != null) {
            cgroup.procsFiles().forEach(f -> cmd.addAll(List.of("--cgroup-procs", f.toString())));
        }
        cmd.addAll(List.of("--uid", uid, "--gid", uid, "--seccomp", seccompDefault.toString(),
                "--seccomp-fd", Integer.toString(SECCOMP_FD), "--"));
        List<String> bwrap = bwrapNamespaces(uid);
        bwrap.add(1, "--disable-userns");
        cmd.addAll(bwrap);
        cmd.addAll(List.of("--size", Long.toString(DEV_SHM_BYTES), "--tmpfs", "/tmp"));
        spec.readOnlyBinds().forEach((host, inside) -> cmd.addAll(List.of("--ro-bind", host.toString(), inside)));
        spec.binds().forEach((host, inside) -> cmd.addAll(List.of("--bind", host.toString(), inside)));
        cmd.addAll(List.of("--remount-ro", "/dev", "--remount-ro", "/", "--chdir", spec.chdir(), "--clearenv"));
        spec.env().forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
        cmd.addAll(List.of("--seccomp", Integer.toString(SECCOMP_FD), "--"));
        cmd.addAll(spec.command());
        try {
            return new SandboxedService(LongLivedSpawner.start(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)),
                    cgroup);
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                closeQuietly(cgroup);
            }
            throw e;
        }
    }

    /** bwrap's namespaces, identity and read-only file system, shared by fresh and pre-started boxes. */
    private List<String> bwrapNamespaces(String uid) {
        List<String> cmd = new ArrayList<>(List.of(config.bwrap().toString(), "--unshare-user", "--unshare-ipc",
                "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try", "--unshare-net"));
        cmd.addAll(List.of("--uid", uid, "--gid", uid, "--hostname", "box",
                "--die-with-parent", "--new-session", "--as-pid-1", "--cap-drop", "ALL"));
        cmd.addAll(mountArgs);
        cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
        return cmd;
    }

    private List<String> relayCommand(Box box, RunSpec spec, RunCgroup cgroup, Isolation.Level level) {
        List<String> cmd = relayPrefix(box, spec, cgroup);
        List<String> init = initArgs(spec, cgroup);
        if (level == Isolation.Level.PROCESS) {
            cmd.addAll(List.of("--seccomp", seccompNoNetwork.toString(), "--chdir", box.work().toString()));
            spec.env().forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
            cmd.add("--");
            cmd.add(helper.toString());
            cmd.addAll(init);
            return cmd;
        }
        Path tmp = box.mounts().freshTmp();
        cmd.addAll(List.of("--seccomp", seccompDefault.toString(), "--seccomp-fd", Integer.toString(SECCOMP_FD),
                "--info-fd", Integer.toString(INFO_FD), "--block-fd", Integer.toString(BLOCK_FD)));
        cmd.add("--");
        List<String> bwrap = bwrapNamespaces(Integer.toString(box.mounts().uid()));
        bwrap.add(1, "--disable-userns");
        cmd.addAll(bwrap);
        cmd.addAll(List.of("--size", Long.toString(DEV_SHM_BYTES), "--tmpfs", "/dev/shm",
                "--bind", box.work().toString(), "/box",
                "--bind", tmp.toString(), "/tmp",
                "--ro-bind", helper.toString(), INIT_IN_BOX,
                // Only the capped work dir, /tmp and /dev/shm stay writable; bwrap's own root and
                // /dev are tmpfs without caps.
                "--remount-ro", "/dev", "--remount-ro", "/",
                "--chdir", "/box", "--clearenv",
                "--info-fd", Integer.toString(INFO_FD), "--block-fd", Integer.toString(BLOCK_FD)));
        spec.env().forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
        cmd.addAll(List.of("--seccomp", Integer.toString(SECCOMP_FD), "--", INIT_IN_BOX));
        cmd.addAll(init);
        return cmd;
    }

    private static List<String> rlimits(StageLimits limits, boolean noCgroup) {
        long cpuBackstop = limits.cpuTime().plusMillis(999).toSeconds() + 1;
        List<String> r = new ArrayList<>(List.of("core=0",
                "fsize=" + limits.fileSizeBytes(),
                "nofile=" + limits.openFiles(),
                "stack=" + limits.memoryBytes(),
                "cpu=" + cpuBackstop));
        if (noCgroup) {
            // Without a memory cgroup the address space is the only memory limit left.
            r.add("as=" + limits.memoryBytes());
            r.add("nproc=" + (limits.processes() + 2));
        }
        return r;
    }

    private Isolation probe() {
        String cg = cgroups.map(Cgroups::describe).orElse("none");
        if (!config.isolation().equals("process")) {
            String failure = probeRun(Isolation.Level.NAMESPACES);
            if (failure == null) {
                return new Isolation(Isolation.Level.NAMESPACES, cg, "bubblewrap namespaces, seccomp, uid " + config.uidBase() + "+");
            }
            if (config.isolation().equals("namespaces")) {
                throw new IllegalStateException("namespaces are required but unavailable: " + failure);
            }
            LOG.warn("namespaces unavailable, falling back to process isolation: {}", failure);
            String processFailure = probeRun(Isolation.Level.PROCESS);
            if (processFailure != null) {
                throw new IllegalStateException("no isolation available: " + failure + "; " + processFailure);
            }
            return new Isolation(Isolation.Level.PROCESS, cg, "namespaces unavailable: " + failure);
        }
        String failure = probeRun(Isolation.Level.PROCESS);
        if (failure != null) {
            throw new IllegalStateException("process isolation unavailable: " + failure);
        }
        return new Isolation(Isolation.Level.PROCESS, cg, "process isolation chosen by configuration");
    }

    private static RunSpec probeSpec() {
        StageLimits limits = new StageLimits(Duration.ofSeconds(5), Duration.ofSeconds(10), 64L << 20, 8,
                4096, 1 << 20, 16, 1 << 20, 64);
        return new RunSpec(List.of("/bin/true"), Map.of("PATH", "/usr/bin:/bin"), new byte[0], limits);
    }

    /**
     * The pool of pre-started boxes, when configured and namespaces are available: built with a
     * probe run in slot 0's box; null (a fresh box per run, logged) when that fails.
     */
    private BoxPool startPool() {
        if (isolation.level() != Isolation.Level.NAMESPACES || config.recycleAfter() == 0) {
            return null;
        }
        BoxPool boxes = new BoxPool(config.dataDir(), helper, config.slots(), config.recycleAfter());
        String failure;
        try (Box box = openAt(freeSlots.take(), 1 << 20, 64)) {
            box.mounts().beforeRun();
            Attempt a = runPooled(boxes, box, probeSpec());
            failure = a.boxError() != null ? a.boxError()
                    : a.outcome().exitCode() != null && a.outcome().exitCode() == 0 ? null
                    : "probe ended with " + a.outcome().exitCode() + "/" + a.outcome().signal() + " " + a.outcome().internalError();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (failure != null) {
            LOG.warn("pre-started boxes unavailable, a fresh box per run: {}", failure);
            boxes.close();
            return null;
        }
        return boxes;
    }

    /** True when runs enter pre-started boxes ({@link BoxPool}) rather than fresh ones. */
    public boolean pooled() {
        return pool != null;
    }

    /** Pre-started boxes built since start-up (the first of each slot, then every recycled one). */
    public long boxesBuilt() {
        return pool == null ? 0 : pool.built();
    }

    /** Runs /bin/true at the given level in a fresh box; returns why it failed, or null. */
    private String probeRun(Isolation.Level level) {
        try (Box box = openAt(freeSlots.take(), 1 << 20, 64)) {
            box.mounts().beforeRun();
            RunOutcome out = runOnce(box, probeSpec(), level, null).outcome();
            if (out.internalError() != null) {
                return out.internalError();
            }
            return out.exitCode() != null && out.exitCode() == 0 ? null
                    : "probe exited with " + out.exitCode() + "/" + out.signal() + ": " + new String(out.stderr());
        } catch (RuntimeException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Releases the pre-started boxes and their relay servers (runs still going on in them end, and
     * runs after this fail).
     */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("cannot release the lock of {}: {}", config.dataDir(), e.getMessage());
        }
    }

    private static void closeQuietly(RunCgroup cgroup) {
        try {
            cgroup.close();
        } catch (RuntimeException e) {
            LOG.error("cannot clean up a run cgroup", e);
        }
    }

    /**
     * One engine per data directory: a second one would unmount the first one's live boxes (a new
     * box replaces whatever a crash left at its path). Held until {@link #close()}.
     */
    private static FileChannel lockDataDir(Path dataDir) {
        createTraversable(dataDir);
        try {
            FileChannel channel = FileChannel.open(dataDir.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                channel.close();
                throw new IllegalStateException(dataDir + " is in use by another engine process; give each its own data-dir");
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
        try (InputStream in = Sandbox.class.getResourceAsStream("/native/ce-sandbox")) {
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
    private Path exportFilter(Path dataDir, String policy) {
        Path file = dataDir.resolve("bin").resolve("seccomp-" + policy + ".bpf");
        try {
            Process p = new ProcessBuilder(helper.toString(), "seccomp", policy, file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("cannot compile the seccomp filter: " + out);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile the seccomp filter", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Root-owned directories the sandbox uids may pass through but not list or write (0711). */
    private static void createTraversable(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Path p = dir; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
                var perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
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
