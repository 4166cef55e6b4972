package io.codingengine.executor.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slots and what happens in them. At most {@link SandboxConfig#slots()} boxes are open at
 * once: slot {@code i} has its own uid ({@code uid-base + i}) and its box's mounts under
 * {@code data-dir/boxes/i}. A run in a slot's box gets a cgroup of its own, a relay (the slot's
 * relay server for its pre-started box, else one started for the run) and, once it is over, the
 * cgroup's removal.
 *
 * <p>Each slot {@code i} has a <b>companion</b>, index {@code slots + i} (uid
 * {@code uid-base + slots + i}, mounts under {@code data-dir/boxes/<slots + i>}, its own
 * pre-started box and relay server), where the output validator of an interaction in slot
 * {@code i} runs: only whoever holds slot {@code i} opens it, so it is never waited for, and the
 * two sides of an interaction never share a uid, a box or a cgroup.
 */
final class Slots {

    private static final Logger LOG = LoggerFactory.getLogger(Slots.class);
    /**
     * How long past a run's wall limit its relay may take to report before it is taken for hung:
     * the relay enforces the limits itself, so only a stopped or stuck relay is that late.
     */
    static final Duration RELAY_MARGIN = Duration.ofSeconds(10);

    private final SandboxConfig config;
    private final SandboxHost host;
    private final BoxCommands commands;
    /**
     * Free slots anyone may take, and free slots kept for work a person waits for (the
     * interactive lane's {@code interactive-slots}, which has nothing to do with interactive
     * problems: an interaction may run in either kind of slot, with its companion).
     */
    private final Deque<Integer> free = new ArrayDeque<>();

    private final Deque<Integer> freeKept = new ArrayDeque<>();
    private final int firstKept;
    /**
     * Pooled runs whose first process joined its cgroups by moving its own thread (cgroup v1's
     * fast path), and by moving the whole process (an RCU grace period, milliseconds: cgroup v2).
     */
    private final AtomicLong threadJoins = new AtomicLong();

    private final AtomicLong processJoins = new AtomicLong();
    /** The time those joins took, all together. */
    private final AtomicLong joinNanos = new AtomicLong();

    Slots(SandboxConfig config, SandboxHost host, BoxCommands commands) {
        this.config = config;
        this.host = host;
        this.commands = commands;
        this.firstKept = config.slots() - config.interactiveSlots();
        for (int i = 0; i < config.slots(); i++) {
            (i < firstKept ? free : freeKept).add(i);
        }
    }

    /**
     * A free slot, waiting for one. Work a person waits for ({@code interactive}: the interactive
     * lane's) takes a kept slot first, then any; other work only the slots that are not kept.
     */
    synchronized int take(boolean interactive) throws InterruptedException {
        while (true) {
            if (interactive && !freeKept.isEmpty()) {
                return freeKept.poll();
            }
            if (!free.isEmpty()) {
                return free.poll();
            }
            wait();
        }
    }

    /** Frees a slot whose box is closed (a companion is its slot's, never freed on its own). */
    synchronized void release(int slot) {
        if (slot >= config.slots()) {
            return;
        }
        (slot < firstKept ? free : freeKept).add(slot);
        notifyAll();
    }

    /** The companion of {@code slot}: where the other side of an interaction in the slot runs. */
    int companion(int slot) {
        return config.slots() + slot;
    }

    /**
     * The mounts of a box in {@code slot} at {@code level} (plain directories under UID
     * isolation), replacing whatever a crashed run left there.
     */
    BoxMounts mount(int slot, long diskBytes, int diskInodes, Isolation.Level level) {
        Path root = config.dataDir().resolve("boxes").resolve(Integer.toString(slot));
        SandboxHost.createTraversable(root);
        BoxMounts.Kind kind = level == Isolation.Level.UID ? BoxMounts.Kind.DIRECTORY : BoxMounts.Kind.TMPFS;
        // In mount namespaces a run sees only its own work directory: the used one can be
        // detached while the next run goes on (BoxMounts).
        return BoxMounts.mount(
                kind, root, config.uidBase() + slot, diskBytes, diskInodes, level == Isolation.Level.NAMESPACES);
    }

    /**
     * Runs one program in {@code box}; the previous run's processes, /tmp and IPC objects are
     * gone. With a {@code pool}, the slot's pre-started box is entered; if that fails before the
     * program started, the run is retried once in a newly built box, then in a fresh bwrap box.
     * Without one, the run is in a fresh box at {@code level}. A live run's input taken by an
     * attempt that could not enter its box goes to the next attempt.
     */
    RunOutcome run(Box box, RunSpec given, BoxPool pool, Isolation.Level level) {
        box.mounts().beforeRun(given.files());
        ReplayedInput input = given.live() == null ? null : new ReplayedInput(given.live());
        RunSpec spec = input == null ? given : given.withLive(input);
        if (pool != null) {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (input != null) {
                    input.rewind();
                }
                Attempt a = runPooled(pool, box, spec);
                if (a.boxError() == null) {
                    return a.outcome();
                }
                pool.flag(box.slot(), a.boxError());
            }
            LOG.warn("slot {}: pre-started box unusable, running in a fresh box", box.slot());
            if (input != null) {
                input.rewind();
            }
        }
        return runOnce(box, spec, level, null).outcome();
    }

    /** A run's outcome, or why the pooled box could not be entered (then no untrusted code ran). */
    record Attempt(RunOutcome outcome, String boxError) {}

    /** The pre-started box a run entered. */
    private record Pooled(BoxPool pool, Path pins) {}

    /** One run in the slot's pre-started box of {@code boxes}, without retrying (the pool's probe). */
    Attempt runPooled(BoxPool boxes, Box box, RunSpec spec) {
        Path pins;
        try {
            pins = boxes.acquire(box.slot(), p -> commands.buildBox(box.slot(), p));
        } catch (RuntimeException e) {
            return new Attempt(null, e.getMessage());
        }
        return runOnce(box, spec, Isolation.Level.NAMESPACES, new Pooled(boxes, pins));
    }

    private Attempt runOnce(Box box, RunSpec spec, Isolation.Level level, Pooled pooled) {
        Relay.Result result = relay(box, spec, level, pooled, List.of(), null);
        if (result.boxError() != null) {
            return new Attempt(null, result.boxError());
        }
        return new Attempt(result.toOutcome(), null);
    }

    /**
     * One relay's run in {@code box} (its pre-started box when {@code pooled}), with {@code extra}
     * options for the relay and a {@code stop} to stop it (one side of an interaction); its
     * cgroup is removed once it is over.
     */
    private Relay.Result relay(
            Box box, RunSpec spec, Isolation.Level level, Pooled pooled, List<String> extra, Relay.Stop stop) {
        RunCgroup cgroup = host.planRunCgroup(box.slot(), spec.limits());
        try {
            Relay.Result result;
            Duration deadline = spec.limits().wallTime().plus(RELAY_MARGIN);
            if (pooled != null) {
                List<String> args = commands.pooledRun(box, spec, cgroup, pooled.pins(), extra);
                result = Relay.run(pooled.pool().relay(box.slot()), args, spec.stdin(), deadline, stop, spec.live());
                countJoin(result);
                if (result.hung()) {
                    LOG.error("slot {}: {}; replacing its relay server and box", box.slot(), result.failure());
                    pooled.pool().relay(box.slot()).restart();
                    pooled.pool().flag(box.slot(), "its relay hung");
                }
            } else {
                result = Relay.run(
                        commands.freshRun(box, spec, cgroup, level, extra), spec.stdin(), deadline, stop, spec.live());
                if (result.failure() != null && level == Isolation.Level.UID) {
                    // The relay did not finish (hung and killed, or failed): it may not have
                    // killed the run's processes, and no pid namespace ends them.
                    host.sweep(box.mounts().uid());
                }
            }
            return result;
        } finally {
            if (cgroup != null) {
                // With namespaces the box's processes are all gone when the relay returns (the pid
                // namespace died with its init), so removing the cgroup can leave the hot path;
                // the box waits for it on close. Without namespaces the sweep must finish first.
                if (level == Isolation.Level.NAMESPACES) {
                    box.afterRun(
                            Thread.ofVirtual().name("cgroup-cleanup").start(() -> cleanUp(cgroup, box.slot(), pooled)));
                } else {
                    cgroup.close();
                }
            }
        }
    }

    private void countJoin(Relay.Result result) {
        String join = result.status().get("cgroup_join");
        if (!"thread".equals(join) && !"process".equals(join)) {
            return;
        }
        (join.equals("thread") ? threadJoins : processJoins).incrementAndGet();
        try {
            joinNanos.addAndGet(Long.parseLong(result.status().getOrDefault("cgroup_join_ns", "0")));
        } catch (NumberFormatException e) {
            LOG.warn("the relay reported a cgroup join time that is no number: {}", e.getMessage());
        }
    }

    /** How the first processes of pooled runs joined their cgroups, so far. */
    Sandbox.CgroupJoins cgroupJoins() {
        return new Sandbox.CgroupJoins(threadJoins.get(), processJoins.get(), joinNanos.get());
    }

    /**
     * Runs the two sides of an interaction at once: {@code submission} in its box, {@code validator}
     * in the slot's companion box, sharing nothing but two FIFOs (see {@code interact.c}). With a
     * {@code pool}, both enter their slots' pre-started boxes; when either cannot, the whole pair
     * is run again (once in newly built boxes, then in fresh bwrap boxes), as a single run is.
     */
    PairOutcome runPair(
            Box submission,
            RunSpec submissionSpec,
            Box validator,
            RunSpec validatorSpec,
            long transcriptBytes,
            BoxPool pool,
            Isolation.Level level) {
        if (pool != null) {
            for (int attempt = 0; attempt < 2; attempt++) {
                PairOutcome outcome =
                        pairOnce(submission, submissionSpec, validator, validatorSpec, transcriptBytes, level, pool);
                if (outcome != null) {
                    return outcome;
                }
            }
            LOG.warn(
                    "slots {} and {}: pre-started boxes unusable, interacting in fresh boxes",
                    submission.slot(),
                    validator.slot());
        }
        return pairOnce(submission, submissionSpec, validator, validatorSpec, transcriptBytes, level, null);
    }

    /**
     * One attempt at a pair; {@code null} when a pre-started box could not be entered (the box
     * is flagged, and the attempt's runs, whatever ran of them, are discarded).
     */
    private PairOutcome pairOnce(
            Box submission,
            RunSpec submissionSpec,
            Box validator,
            RunSpec validatorSpec,
            long transcriptBytes,
            Isolation.Level level,
            BoxPool pool) {
        Pooled subPooled = null, valPooled = null;
        if (pool != null) {
            // Both boxes before either relay starts: a relay whose other side never comes waits for it.
            try {
                subPooled =
                        new Pooled(pool, pool.acquire(submission.slot(), p -> commands.buildBox(submission.slot(), p)));
                valPooled =
                        new Pooled(pool, pool.acquire(validator.slot(), p -> commands.buildBox(validator.slot(), p)));
            } catch (RuntimeException e) {
                pool.flag(subPooled == null ? submission.slot() : validator.slot(), e.getMessage());
                return null;
            }
        }
        Path pipes = host.newPipes();
        try {
            String in = pipes.resolve("in").toString(),
                    out = pipes.resolve("out").toString();
            List<String> subArgs = List.of("--stdin-fifo", in, "--stdout-fifo", out);
            List<String> valArgs = List.of(
                    "--proxy-in",
                    out,
                    "--proxy-out",
                    in,
                    "--transcript-limit",
                    Long.toString(transcriptBytes),
                    "--flood-limit",
                    Long.toString(submissionSpec.limits().outputBytes()));
            Relay.Stop stopSubmission = new Relay.Stop();
            Pooled vp = valPooled;
            // Each side's work directory is made afresh on its own thread, at the same time as the
            // other's. A platform thread: a fresh box's relay is read through a process pipe, and a
            // virtual thread blocked on one would hold its carrier (see Relay).
            CompletableFuture<Relay.Result> validatorRun = CompletableFuture.supplyAsync(
                    () -> {
                        validator.mounts().beforeRun(validatorSpec.files());
                        Relay.Result r = relay(validator, validatorSpec, level, vp, valArgs, null);
                        // Once the validator has ended with anything but 42 the submission's fate decides
                        // nothing (rejected, or the validator failed): it is stopped instead of running on
                        // to its limits.
                        if (!"42".equals(r.status() == null ? null : r.status().get("exit"))) {
                            stopSubmission.stop();
                        }
                        return r;
                    },
                    task -> Thread.ofPlatform()
                            .daemon()
                            .name("interaction-validator")
                            .start(task));
            submission.mounts().beforeRun(submissionSpec.files());
            Relay.Result sub = relay(submission, submissionSpec, level, subPooled, subArgs, stopSubmission);
            Relay.Result val;
            try {
                val = validatorRun.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the validator's relay failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the validator ran", e);
            }
            if (sub.boxError() != null || val.boxError() != null) {
                if (pool != null) {
                    if (sub.boxError() != null) {
                        pool.flag(submission.slot(), sub.boxError());
                    }
                    if (val.boxError() != null) {
                        pool.flag(validator.slot(), val.boxError());
                    }
                    return null;
                }
                // A fresh box has no box errors; should one come, it is the sandbox's failure.
                String why = sub.boxError() != null ? sub.boxError() : val.boxError();
                sub = sub.boxError() != null ? Relay.Result.failed(why) : sub;
                val = val.boxError() != null ? Relay.Result.failed(why) : val;
            }
            Boolean validatorFirst =
                    sub.endedNanos() > 0 && val.endedNanos() > 0 ? val.endedNanos() < sub.endedNanos() : null;
            List<PairOutcome.Message> transcript = new ArrayList<>();
            for (Relay.Chunk chunk : val.transcript()) {
                transcript.add(new PairOutcome.Message(chunk.fromSubmission(), chunk.bytes()));
            }
            boolean stopped = sub.failure() == null && "1".equals(sub.status().get("stopped"));
            boolean cut = val.failure() == null && "1".equals(val.status().get("transcript_cut"));
            boolean flooded = val.failure() == null && "1".equals(val.status().get("flooded"));
            return new PairOutcome(sub.toOutcome(), val.toOutcome(), validatorFirst, stopped, transcript, cut, flooded);
        } finally {
            SandboxHost.removePipes(pipes);
        }
    }

    /**
     * Removes a run's cgroup. In a pooled box a process still in the group (none should be: the
     * run's pid namespace died with its init) or a failed cleanup recycles the box.
     */
    private static void cleanUp(RunCgroup cgroup, int slot, Pooled pooled) {
        try {
            if (pooled != null
                    && !Processes.list(cgroup.procsFiles().getFirst()).isEmpty()) {
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
}
