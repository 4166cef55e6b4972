package io.codingengine.executor.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The slots and what happens in them. At most {@link SandboxConfig#slots()} boxes are open at
 * once: slot {@code i} has its own uid ({@code uid-base + i}) and its box's mounts under
 * {@code data-dir/boxes/i}. A run in a slot's box gets a cgroup of its own, a relay (the slot's
 * relay server for its pre-started box, else one started for the run) and, once it is over, the
 * cgroup's removal.
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
    /** Free slots anyone may take, and free slots kept for work a person waits for. */
    private final Deque<Integer> free = new ArrayDeque<>();
    private final Deque<Integer> freeInteractive = new ArrayDeque<>();
    private final int firstInteractive;

    Slots(SandboxConfig config, SandboxHost host, BoxCommands commands) {
        this.config = config;
        this.host = host;
        this.commands = commands;
        this.firstInteractive = config.slots() - config.interactiveSlots();
        for (int i = 0; i < config.slots(); i++) {
            (i < firstInteractive ? free : freeInteractive).add(i);
        }
    }

    /**
     * A free slot, waiting for one. Work a person waits for ({@code interactive}) takes a kept
     * slot first, then any; other work only the slots that are not kept.
     */
    synchronized int take(boolean interactive) throws InterruptedException {
        while (true) {
            if (interactive && !freeInteractive.isEmpty()) {
                return freeInteractive.poll();
            }
            if (!free.isEmpty()) {
                return free.poll();
            }
            wait();
        }
    }

    /** Frees a slot whose box is closed. */
    synchronized void release(int slot) {
        (slot < firstInteractive ? free : freeInteractive).add(slot);
        notifyAll();
    }

    /** The mounts of a box in {@code slot}, replacing whatever a crashed run left there. */
    BoxMounts mount(int slot, long diskBytes, int diskInodes) {
        Path root = config.dataDir().resolve("boxes").resolve(Integer.toString(slot));
        SandboxHost.createTraversable(root);
        return BoxMounts.mount(root, config.uidBase() + slot, diskBytes, diskInodes);
    }

    /**
     * Runs one program in {@code box}; the previous run's processes, /tmp and IPC objects are
     * gone. With a {@code pool}, the slot's pre-started box is entered; if that fails before the
     * program started, the run is retried once in a newly built box, then in a fresh bwrap box.
     * Without one, the run is in a fresh box at {@code level}. A live run's input taken by an
     * attempt that could not enter its box goes to the next attempt.
     */
    RunOutcome run(Box box, RunSpec given, BoxPool pool, Isolation.Level level) {
        box.mounts().beforeRun();
        ReplayedInput input = given.live() == null ? null : new ReplayedInput(given.live());
        RunSpec spec = input == null ? given : new RunSpec(given.command(), given.env(), given.stdin(), given.limits(),
                given.cutStderr(), input);
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
    record Attempt(RunOutcome outcome, String boxError) {
    }

    /** The pre-started box a run entered. */
    private record Pooled(BoxPool pool, Path pins) {
    }

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
        RunCgroup cgroup = host.planRunCgroup(box.slot(), spec.limits());
        try {
            Relay.Result result;
            Duration deadline = spec.limits().wallTime().plus(RELAY_MARGIN);
            if (pooled != null) {
                List<String> args = commands.pooledRun(box, spec, cgroup, pooled.pins());
                result = Relay.run(pooled.pool().relay(box.slot()), args, spec.stdin(), deadline, spec.live());
                if (result.hung()) {
                    LOG.error("slot {}: {}; replacing its relay server and box", box.slot(), result.failure());
                    pooled.pool().relay(box.slot()).restart();
                    pooled.pool().flag(box.slot(), "its relay hung");
                }
            } else {
                result = Relay.run(commands.freshRun(box, spec, cgroup, level), spec.stdin(), deadline, spec.live());
            }
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
}
