package io.codingengine.executor.sandbox;

import io.codingengine.common.execution.StageLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * ({@link SandboxHost}), probes which isolation the host allows by running {@code /bin/true}, and
 * starts the pool of pre-started boxes when it can. {@link BoxCommands} builds the helper's and
 * bubblewrap's command lines, {@link Slots} runs them in the slots' boxes.
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

    /** How many of the {@link #slots()} are kept for interactive work. */
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
     * As {@link #open(long, int)}; {@code interactive} work (a person waits for it) may also take
     * the slots kept for it ({@link SandboxConfig#interactiveSlots()}), and takes them first.
     */
    public Box open(long diskBytes, int diskInodes, boolean interactive) throws InterruptedException {
        int slot = slots.take(interactive);
        try {
            return openAt(slot, diskBytes, diskInodes);
        } catch (RuntimeException e) {
            slots.release(slot);
            throw e;
        }
    }

    private Box openAt(int slot, long diskBytes, int diskInodes) {
        return new Box(this, slot, slots.mount(slot, diskBytes, diskInodes));
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
            return new SandboxedService(LongLivedSpawner.start(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD)),
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
                String failure = out.internalError() != null ? out.internalError()
                        : out.exitCode() != null && out.exitCode() == 0 ? null
                        : "probe exited with " + out.exitCode() + "/" + out.signal() + ": " + new String(out.stderr());
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

    /** Runs /bin/true at the given level in a fresh box; returns why it failed, or null. */
    private String probeRun(Isolation.Level level) {
        try (Box box = openAt(slots.take(false), 1 << 20, 64)) {
            RunOutcome out = slots.run(box, probeSpec(), null, level);
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
     * The pool of pre-started boxes, when configured and namespaces are available: built with a
     * probe run in slot 0's box; null (a fresh box per run, logged) when that fails.
     */
    private BoxPool startPool() {
        if (isolation.level() != Isolation.Level.NAMESPACES || config.recycleAfter() == 0) {
            return null;
        }
        BoxPool boxes = new BoxPool(config.dataDir(), host.helper(), config.slots(), config.recycleAfter());
        String failure;
        try (Box box = openAt(slots.take(false), 1 << 20, 64)) {
            box.mounts().beforeRun();
            Slots.Attempt a = slots.runPooled(boxes, box, probeSpec());
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

    private static void closeQuietly(RunCgroup cgroup) {
        try {
            cgroup.close();
        } catch (RuntimeException e) {
            LOG.error("cannot clean up a run cgroup", e);
        }
    }
}
