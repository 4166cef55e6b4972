package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-started boxes, one per slot: the user, mount and uts namespaces that bubblewrap builds
 * (8–12 ms) are built once and pinned ({@code ce-sandbox box}: bind mounts of their nsfs files
 * under {@code data-dir/pool/<slot>}), and every run of the slot enters them ({@code run --enter})
 * with fresh network, pid, IPC, cgroup and mount namespaces of its own (the network namespace is
 * built by the slot's relay while it waits for the run).
 * No process of a pooled box runs between runs, so there is no supervisor to attack: what a box
 * keeps is only its read-only mounts and namespaces, which a run cannot change. What does run
 * between runs is each slot's {@link RelayServer}, on the host, outside every box: the relay of the
 * next run, forked in advance, waiting for its request.
 *
 * <p>A box is recycled (unpinned and built again on the next run) after
 * {@link SandboxConfig#recycleAfter()} runs and on any anomaly: entering it failed, a run's cleanup
 * failed, or a process of a run was still alive when its cgroup was removed.
 */
final class BoxPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BoxPool.class);
    private static final List<String> PINS = List.of("user", "owner", "mnt", "uts");

    private final Path dir;
    private final int recycleAfter;
    private final Slot[] slots;
    private final RelayServer[] relays;
    private final AtomicLong built = new AtomicLong();

    /** One slot's pooled box; used by one run at a time, but anomalies are flagged by cleanup threads. */
    private static final class Slot {
        boolean built;
        int runs;
        final AtomicBoolean anomaly = new AtomicBoolean();
    }

    /**
     * @param dataDir the sandbox's data directory: pins under {@code pool/}, relay sockets under {@code relay/}
     * @param helper  the installed {@code ce-sandbox}
     */
    BoxPool(Path dataDir, Path helper, int slots, int recycleAfter) {
        this.dir = dataDir.resolve("pool");
        this.recycleAfter = recycleAfter;
        this.slots = new Slot[slots];
        this.relays = new RelayServer[slots];
        for (int i = 0; i < slots; i++) {
            this.slots[i] = new Slot();
            this.relays[i] = new RelayServer(helper, dataDir.resolve("relay"), i);
        }
    }

    /** The slot's relay server: every run in the slot's box is a connection to it. */
    RelayServer relay(int slot) {
        return relays[slot];
    }

    /**
     * The pins of {@code slot}'s box for its next run, building the box first when it has none,
     * has served {@code recycleAfter} runs, or was flagged.
     *
     * @param build the {@code ce-sandbox box} command that pins a new box at the given directory
     * @throws IllegalStateException when the box cannot be built
     */
    Path acquire(int slot, Function<Path, List<String>> build) {
        Slot s = slots[slot];
        Path pins = pins(slot);
        if (s.built && (s.runs >= recycleAfter || s.anomaly.get())) {
            LOG.debug("recycling the pooled box of slot {} after {} runs (anomaly: {})", slot, s.runs, s.anomaly.get());
            release(slot);
        }
        if (!s.built) {
            buildBox(pins, build.apply(pins));
            built.incrementAndGet();
            s.built = true;
            s.runs = 0;
            s.anomaly.set(false);
        }
        s.runs++;
        return pins;
    }

    /** Something went wrong with {@code slot}'s box: build a new one before its next run. */
    void flag(int slot, String why) {
        LOG.warn("pooled box of slot {} will be recycled: {}", slot, why);
        slots[slot].anomaly.set(true);
    }

    /** Boxes built so far, recycled ones included. */
    long built() {
        return built.get();
    }

    /** Unpins {@code slot}'s box; the kernel frees its namespaces once no run is inside. */
    void release(int slot) {
        Slot s = slots[slot];
        s.built = false;
        Path pins = pins(slot);
        for (String name : PINS) {
            Path pin = pins.resolve(name);
            try {
                Libc.umount2(pin.toString(), Libc.MNT_DETACH);
            } catch (Libc.NativeException e) {
                if (e.errno != Libc.EINVAL && e.errno != Libc.ENOENT) {
                    LOG.warn("cannot unpin {}: {}", pin, e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        for (int slot = 0; slot < slots.length; slot++) {
            relays[slot].close();
            release(slot);
        }
    }

    /** The pins of a slot's box: a root-owned directory the sandbox uids cannot enter. */
    private Path pins(int slot) {
        return dir.resolve(Integer.toString(slot));
    }

    private static void buildBox(Path pins, List<String> command) {
        try {
            Files.createDirectories(pins);
            Files.setPosixFilePermissions(pins, PosixFilePermissions.fromString("rwx------"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("cannot build a pooled box: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build a pooled box", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building a pooled box", e);
        }
    }
}
