package io.codingengine.executor.sandbox;

import io.codingengine.common.execution.StageLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>This class starts the sandbox and decides how runs happen: it sets up the host
 * ({@link SandboxHost}), probes which isolation the host allows by running {@code /bin/true}
 * (namespaces, else process isolation, else, where allowed, UID isolation: no namespace, no mount,
 * nothing but Docker's default capabilities), and starts the pool of pre-started boxes when it
 * can. {@link BoxCommands} builds the helper's and bubblewrap's command lines, {@link Slots} runs
 * them in the slots' boxes.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final SandboxConfig config;
    private final SandboxHost host;
    private final BoxCommands commands;
    private final Slots slots;
    private final Isolation isolation;
    private final BoxPool pool;

    public Sandbox(SandboxConfig config) {
        this.config = config;
        this.host = new SandboxHost(config);
        this.commands = new BoxCommands(config, host);
        this.slots = new Slots(config, host, commands);
        Isolation probed = probe();
        this.isolation = withRuntimePages(
                probed,
                host.runtimePages(),
                probed.level() == Isolation.Level.NAMESPACES
                        || probed.level() == Isolation.Level.UID && host.landlockAbi() > 0);
        this.pool = startPool();
        // The probe proved the helper works; from here on a failed run is the run's problem.
        if (isolation.full()) {
            LOG.info(
                    "sandbox ready: {} slots, isolation {} with {}, {}; {}",
                    config.slots(),
                    isolation.level(),
                    isolation.cgroups(),
                    pool != null
                            ? "pre-started boxes recycled every " + config.recycleAfter() + " runs"
                            : "a fresh box per run",
                    host.runtimePages().describe());
        } else if (isolation.notIsolated().isEmpty()) {
            LOG.warn(
                    "sandbox DEGRADED: isolation {} with {}: {}",
                    isolation.level(),
                    isolation.cgroups(),
                    isolation.detail());
        } else {
            LOG.warn(
                    "sandbox DEGRADED: isolation {} with {}: {}; NOT ISOLATED: {}",
                    isolation.level(),
                    isolation.cgroups(),
                    isolation.detail(),
                    String.join("; ", isolation.notIsolated()));
        }
    }

    public Isolation isolation() {
        return isolation;
    }

    /**
     * Why this sandbox runs no interaction (an interactive or multi-pass problem's submission and
     * output validator, the validator in the companion box, {@link #openCompanion}), or
     * {@code null} when it runs them. Under UID isolation it does not: there a run's processes
     * are told apart by their uid alone, swept before and after each run, and the companions'
     * uids, which an interaction's two sides need at once, are neither swept nor probed.
     */
    public String interactionRefusal() {
        return isolation.level() == Isolation.Level.UID
                ? "interactive and multi-pass problems are not run under UID isolation (a host without namespaces"
                        + " or mounts): their output validator needs a second box, which this level does not provide;"
                        + " judge them on a host with namespaces or process isolation"
                : null;
    }

    /** The configuration the sandbox was started with. */
    public SandboxConfig config() {
        return config;
    }

    public int slots() {
        return config.slots();
    }

    /**
     * How many of the {@link #slots()} are kept for the interactive lane's work (Runs, Piston
     * executes: a person waits for it); not to be confused with interactive problems, whose
     * validators run in companion boxes ({@link #openCompanion}) of any slot.
     */
    public int interactiveSlots() {
        return config.interactiveSlots();
    }

    /**
     * Opens a box, waiting for a free slot.
     *
     * @param diskBytes  size cap of the work directory and of /tmp, each
     * @param diskInodes inode cap of each
     */
    public Box open(long diskBytes, int diskInodes) throws InterruptedException {
        return open(diskBytes, diskInodes, false);
    }

    /**
     * As {@link #open(long, int)}; {@code interactive} work (the interactive lane's: a person waits
     * for it) may also take the slots kept for it ({@link SandboxConfig#interactiveSlots()}), and
     * takes them first.
     */
    public Box open(long diskBytes, int diskInodes, boolean interactive) throws InterruptedException {
        return openIn(slots.take(interactive), diskBytes, diskInodes, isolation.level());
    }

    /** A box in the taken {@code slot} for runs at {@code level}; the slot is freed again when the box cannot be made. */
    private Box openIn(int slot, long diskBytes, int diskInodes, Isolation.Level level) {
        try {
            return new Box(this, slot, slots.mount(slot, diskBytes, diskInodes, level));
        } catch (RuntimeException e) {
            slots.release(slot);
            throw e;
        }
    }

    /**
     * Opens the companion box of {@code owner}'s slot (see {@link Slots}): where the output
     * validator of an interaction runs, as another uid, never waiting. Close it before
     * {@code owner}.
     *
     * @throws IllegalStateException under UID isolation, which runs no interaction
     *                               ({@link #interactionRefusal()})
     */
    public Box openCompanion(Box owner, long diskBytes, int diskInodes) {
        if (owner.slot() >= config.slots()) {
            throw new IllegalArgumentException("a companion has no companion");
        }
        String refusal = interactionRefusal();
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        return openIn(slots.companion(owner.slot()), diskBytes, diskInodes, isolation.level());
    }

    /**
     * Runs an interaction: {@code submission} in its box and {@code validator} in that box's
     * companion ({@link #openCompanion}), at once, each with its own limits, uid, cgroup and
     * namespaces, the validator's standard output being the submission's standard input and the
     * reverse, through two FIFOs that only their relays open (a root-only directory of the host,
     * removed when they are done). The validator's relay records what passes, up to
     * {@code transcriptBytes}. Once the validator has ended with anything but exit code 42, the
     * submission is stopped. Each side has its relay's deadline (its wall limit and
     * {@link Slots#RELAY_MARGIN}); a relay whose other side never comes gives up after 5 s.
     */
    public PairOutcome interact(
            Box submission, RunSpec submissionSpec, Box validator, RunSpec validatorSpec, long transcriptBytes) {
        if (validator.slot() != slots.companion(submission.slot())) {
            throw new IllegalArgumentException("the validator runs in the companion of the submission's box");
        }
        return slots.runPair(
                submission, submissionSpec, validator, validatorSpec, transcriptBytes, pool, isolation.level());
    }

    void release(int slot) {
        slots.release(slot);
    }

    /** Runs one program in {@code box}: in the slot's pre-started box when there is a pool, else in a fresh one. */
    RunOutcome run(Box box, RunSpec spec) {
        return slots.run(box, spec, pool, isolation.level());
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
        RunCgroup cgroup = host.createServiceCgroup(spec);
        List<String> cmd = commands.service(spec, cgroup);
        try {
            return new SandboxedService(
                    LongLivedSpawner.start(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)),
                    cgroup);
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                closeQuietly(cgroup);
            }
            throw e;
        }
    }

    /**
     * Runs {@code /bin/true} in every slot as every run goes there (the slot's pre-started box
     * when there is a pool, else a fresh one): null when each ran, else why the first that did
     * not failed. A sandbox may fail in one slot only (its relay server gone and not coming back),
     * so every slot is checked; the slots are taken as they come free, all held until the end.
     */
    public String check() {
        List<Box> boxes = new ArrayList<>();
        try {
            for (int i = 0; i < slots(); i++) {
                boxes.add(open(1 << 20, 64, true)); // interactive: any slot, kept ones first
            }
            for (Box box : boxes) {
                RunOutcome out = run(box, probeSpec());
                String failure = out.internalError() != null
                        ? out.internalError()
                        : out.exitCode() != null && out.exitCode() == 0
                                ? null
                                : "probe exited with " + out.exitCode() + "/" + out.signal() + ": "
                                        + new String(out.stderr());
                if (failure != null) {
                    return "slot " + box.slot() + ": " + failure;
                }
            }
            return null;
        } catch (RuntimeException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            boxes.forEach(Box::close);
        }
    }

    /** True when runs enter pre-started boxes ({@link BoxPool}) rather than fresh ones. */
    public boolean pooled() {
        return pool != null;
    }

    /** Pre-started boxes built since start-up (the first of each slot, then every recycled one). */
    public long boxesBuilt() {
        return pool == null ? 0 : pool.built();
    }

    /** How the first processes of runs in pre-started boxes joined their cgroups, since start-up. */
    public CgroupJoins cgroupJoins() {
        return slots.cgroupJoins();
    }

    /**
     * How the first process of each run in a pre-started box joined the run's cgroups (it reports
     * it on its status pipe). On cgroup v1 it moves its own thread (the group's {@code tasks}),
     * which needs no RCU grace period; moving a whole process ({@code cgroup.procs}, the only way
     * on v2) waits for one, 5–13 ms on every run.
     *
     * @param byThread  runs whose first process moved its own thread into every group
     * @param byProcess runs whose first process moved as a process into at least one group
     * @param nanos     the time all those joins took, as the box inits measured it
     */
    public record CgroupJoins(long byThread, long byProcess, long nanos) {

        /** The mean time of a join in milliseconds, or 0 before the first. */
        public double meanMillis() {
            long joins = byThread + byProcess;
            return joins == 0 ? 0 : nanos / 1e6 / joins;
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
        host.close();
    }

    private Isolation probe() {
        String cg = host.describeCgroups();
        if (config.isolation().equals("uid")) {
            return uidIsolation(cg, "UID isolation chosen by configuration");
        }
        if (!config.isolation().equals("process")) {
            String failure = probeRun(Isolation.Level.NAMESPACES);
            if (failure == null) {
                return new Isolation(
                        Isolation.Level.NAMESPACES,
                        cg,
                        "bubblewrap namespaces, seccomp, uid " + config.uidBase() + "+",
                        List.of());
            }
            if (config.isolation().equals("namespaces")) {
                throw new IllegalStateException("namespaces are required but unavailable: " + failure);
            }
            LOG.warn("namespaces unavailable, falling back to process isolation: {}", failure);
            String processFailure = probeRun(Isolation.Level.PROCESS);
            if (processFailure != null) {
                if (!config.allowUidIsolation()) {
                    throw new IllegalStateException(
                            "no isolation available: " + failure + "; " + processFailure
                                    + "; UID isolation (a uid, rlimits and seccomp, without namespaces or mounts) is not allowed here");
                }
                LOG.warn("process isolation unavailable too, falling back to UID isolation: {}", processFailure);
                return uidIsolation(
                        cg,
                        "namespaces unavailable: " + failure + "; process isolation unavailable: " + processFailure);
            }
            return new Isolation(Isolation.Level.PROCESS, cg, "namespaces unavailable: " + failure, processGaps(cg));
        }
        String failure = probeRun(Isolation.Level.PROCESS);
        if (failure != null) {
            throw new IllegalStateException("process isolation unavailable: " + failure);
        }
        return new Isolation(Isolation.Level.PROCESS, cg, "process isolation chosen by configuration", processGaps(cg));
    }

    /**
     * The isolation with what {@link RuntimePages} locked in its detail; when the runtimes are not
     * all resident (locking off or failed), or runs can read more than the runtime view ({@code viewOnly}
     * false: process isolation, or UID isolation without Landlock), the page cache is named among what
     * runs share: a run can then evict pages and time another run's reads of them.
     */
    private static Isolation withRuntimePages(Isolation isolation, RuntimePages.Status pages, boolean viewOnly) {
        List<String> gaps = new ArrayList<>(isolation.notIsolated());
        String detail = isolation.detail();
        if (!viewOnly) {
            // No mount namespace (and no Landlock): runs read any host file, locked or not.
            gaps.add("page cache: runs read the host's files, not only the locked runtimes: a run can evict pages of"
                    + " one and time which another run read");
        }
        if (pages == null) {
            gaps.add(
                    "page cache: the runtimes are not locked in memory (lock-runtimes off): a run can evict their pages"
                            + " and time which another run read");
        } else {
            detail = detail + "; " + pages.describe();
            if (!pages.complete()) {
                gaps.add("page cache: locking the runtimes in memory failed (" + pages.failure() + "): a run can evict"
                        + " their pages and time which another run read");
            }
        }
        return new Isolation(isolation.level(), isolation.cgroups(), detail, gaps);
    }

    /** What process isolation shares with the host, and without cgroups how memory is limited. */
    private static List<String> processGaps(String cgroups) {
        List<String> gaps = new ArrayList<>(List.of(
                "files: every file the host lets any user read",
                "sockets: the host's Unix sockets",
                "processes: every process of the host is visible in /proc"));
        if (cgroups.equals("none")) {
            gaps.add("memory: limited per process (RLIMIT_AS), not per run");
        }
        return gaps;
    }

    /**
     * UID isolation, where it is allowed and a run works at it; its detail says why it was chosen
     * and whether Landlock confines files. Every slot's uid is swept first: an engine that crashed
     * may have left processes of them, and no pid namespace ended them.
     */
    private Isolation uidIsolation(String cg, String why) {
        if (!config.allowUidIsolation()) {
            throw new IllegalStateException("UID isolation is not allowed here (" + why + ")");
        }
        String failure;
        try {
            for (int slot = 0; slot < config.slots(); slot++) {
                host.sweep(config.uidBase() + slot);
            }
            failure = probeRun(Isolation.Level.UID);
        } catch (RuntimeException e) {
            failure = e.getMessage();
        }
        if (failure != null) {
            throw new IllegalStateException(
                    "no isolation available: " + why + "; UID isolation unavailable: " + failure);
        }
        int landlock = host.landlockAbi();
        String files = landlock > 0
                ? "Landlock (ABI " + landlock + ") confines files to the runtimes and the run's own directories"
                : "no Landlock in this kernel: files are protected by their modes only";
        return new Isolation(Isolation.Level.UID, cg, why + "; " + files, uidGaps(cg, landlock > 0));
    }

    /** What UID isolation does not isolate: docs/sandbox.md, "ISOLATION LEVELS". */
    private static List<String> uidGaps(String cgroups, boolean landlock) {
        List<String> gaps = new ArrayList<>();
        gaps.add("processes: every process of the container is visible in /proc (command lines, not memory or files)");
        gaps.add(
                landlock
                        ? "files: the runtimes are the host's, shared read-only with every run"
                        : "files: every file the container lets any user read, and its world-writable directories "
                                + "(/tmp, /dev/shm), shared by every run and kept after it");
        gaps.add(
                "disk: a run's files are limited one by one (RLIMIT_FSIZE), not in total, and take the container's disk");
        if (cgroups.equals("none")) {
            gaps.add("memory: read from /proc every 50 ms, so a run can exceed its limit between readings "
                    + "(the container's OOM killer takes the run's processes first)");
        }
        gaps.add(
                "kernel: host-wide counters and load (/proc/meminfo, /proc/loadavg), hostname and clocks are the container's");
        return gaps;
    }

    private static RunSpec probeSpec() {
        StageLimits limits = new StageLimits(
                Duration.ofSeconds(5), Duration.ofSeconds(10), 64L << 20, 8, 4096, 1 << 20, 16, 1 << 20, 64);
        return new RunSpec(List.of("/bin/true"), Map.of("PATH", "/usr/bin:/bin"), new byte[0], limits);
    }

    /** Runs /bin/true at the given level in a fresh box; returns why it failed, or null. */
    private String probeRun(Isolation.Level level) {
        try (Box box = openIn(slots.take(false), 1 << 20, 64, level)) {
            RunOutcome out = slots.run(box, probeSpec(), null, level);
            if (out.internalError() != null) {
                return out.internalError();
            }
            return out.exitCode() != null && out.exitCode() == 0
                    ? null
                    : "probe exited with " + out.exitCode() + "/" + out.signal() + ": " + new String(out.stderr());
        } catch (RuntimeException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * The pool of pre-started boxes, when configured and namespaces are available: built with a
     * probe run in slot 0's box; null (a fresh box per run, logged) when that fails.
     */
    private BoxPool startPool() {
        if (isolation.level() != Isolation.Level.NAMESPACES || config.recycleAfter() == 0) {
            return null;
        }
        // Every slot and its companion (an interaction's other side) has a pre-started box.
        BoxPool boxes = new BoxPool(config.dataDir(), host.helper(), 2 * config.slots(), config.recycleAfter());
        String failure;
        try (Box box = openIn(slots.take(false), 1 << 20, 64, Isolation.Level.NAMESPACES)) {
            box.mounts().beforeRun(List.of());
            Slots.Attempt a = slots.runPooled(boxes, box, probeSpec());
            failure = a.boxError() != null
                    ? a.boxError()
                    : a.outcome().exitCode() != null && a.outcome().exitCode() == 0
                            ? null
                            : "probe ended with " + a.outcome().exitCode() + "/"
                                    + a.outcome().signal() + " " + a.outcome().internalError();
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

    private static void closeQuietly(RunCgroup cgroup) {
        try {
            cgroup.close();
        } catch (RuntimeException e) {
            LOG.error("cannot clean up a run cgroup", e);
        }
    }
}
