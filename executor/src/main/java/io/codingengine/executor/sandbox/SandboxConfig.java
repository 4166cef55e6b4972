package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of the sandbox (see docs/sandbox.md and docs/configuration.md).
 *
 * @param dataDir      root-owned directory for the helper binary and the boxes
 * @param bwrap        the bubblewrap binary
 * @param uidBase      first unprivileged uid; slot {@code i} runs as {@code uidBase + i}, and its
 *                     companion (the output validator of an interactive problem's test run in
 *                     the slot) as {@code uidBase + slots + i}: {@code 2 * slots} uids in all
 * @param slots        runs at once; each has its own uid and box
 * @param readOnlyPaths host paths visible read-only in every box (runtimes, compilers)
 * @param isolation    {@code auto} (namespaces when the host allows, else process, else uid where
 *                     allowed), or force one: {@code namespaces}, {@code process}, {@code uid}
 * @param cgroupName   name of our group in each hierarchy
 * @param recycleAfter runs a slot's pre-started box serves before it is built again (see
 *                     {@link BoxPool}); 0 turns the pool off: bubblewrap builds a fresh box per run
 * @param interactiveSlots how many of the {@code slots} (the last ones) are kept for the interactive
 *                     lane's work, which a person waits for ({@link Sandbox#open(long, int, boolean)});
 *                     judging never takes them. Nothing to do with interactive problems: each of
 *                     these slots has its companion too
 * @param allowUidIsolation whether runs may be isolated by their uid alone ({@link Isolation.Level#UID}):
 *                     chosen by {@code auto} when neither stronger level can start, or by {@code uid}.
 *                     Without it the sandbox refuses to start rather than run at that level. It
 *                     suits a container that runs one submission's executions and then ends (a
 *                     Dynamic Sessions session), not a host that runs every submission in turn:
 *                     what a run leaves outside its work directory there stays for later runs
 *                     (docs/sandbox.md, "ISOLATION LEVELS")
 * @param lockRuntimes whether every regular file a box shows read-only is locked in memory at start
 *                     ({@link RuntimePages}), so that no run can evict a page of the runtimes or tell
 *                     whether another run read it (docs/sandbox.md, "The runtimes are resident")
 */
public record SandboxConfig(
        Path dataDir,
        Path bwrap,
        int uidBase,
        int slots,
        List<String> readOnlyPaths,
        String isolation,
        String cgroupName,
        int recycleAfter,
        int interactiveSlots,
        boolean allowUidIsolation,
        boolean lockRuntimes) {

    /** Default of {@link #recycleAfter}. */
    public static final int RECYCLE_AFTER = 1000;

    public SandboxConfig {
        readOnlyPaths = List.copyOf(readOnlyPaths);
        if (slots <= 0) {
            throw new IllegalArgumentException("slots must be positive");
        }
        if (interactiveSlots < 0 || interactiveSlots >= slots) {
            throw new IllegalArgumentException("interactiveSlots must be 0 to slots - 1, was " + interactiveSlots);
        }
        if (recycleAfter < 0) {
            throw new IllegalArgumentException("recycleAfter must be 0 (no pool) or positive");
        }
        if (!List.of("auto", "namespaces", "process", "uid").contains(isolation)) {
            throw new IllegalArgumentException("isolation must be auto, namespaces, process or uid: " + isolation);
        }
    }

    /** The defaults: {@code /var/lib/coding-engine}, one slot per core, uids from 60000, no UID isolation. */
    public static SandboxConfig defaults() {
        return new SandboxConfig(
                Path.of("/var/lib/coding-engine"),
                Path.of("/usr/bin/bwrap"),
                60000,
                Runtime.getRuntime().availableProcessors(),
                runtimeView(),
                "auto",
                "coding-engine",
                RECYCLE_AFTER,
                0,
                false,
                true);
    }

    /**
     * The runtime view ({@code runtime-view.txt}): the host paths (globs in the last segment) a
     * box shows read-only by default, one a line, {@code #} comments. Not the whole of {@code /usr}:
     * only what the catalogue's languages need, each file of which is locked in memory.
     */
    public static List<String> runtimeView() {
        try (InputStream in = SandboxConfig.class.getResourceAsStream("/runtime-view.txt")) {
            if (in == null) {
                throw new IllegalStateException("runtime-view.txt missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read runtime-view.txt", e);
        }
    }

    /** Whether the runtimes are locked in memory ({@link #lockRuntimes()}). */
    public SandboxConfig withLockRuntimes(boolean value) {
        return new SandboxConfig(
                dataDir,
                bwrap,
                uidBase,
                slots,
                readOnlyPaths,
                isolation,
                cgroupName,
                recycleAfter,
                interactiveSlots,
                allowUidIsolation,
                value);
    }

    public SandboxConfig withDataDir(Path value) {
        return new SandboxConfig(
                value,
                bwrap,
                uidBase,
                slots,
                readOnlyPaths,
                isolation,
                cgroupName,
                recycleAfter,
                interactiveSlots,
                allowUidIsolation,
                lockRuntimes);
    }

    public SandboxConfig withSlots(int value) {
        return new SandboxConfig(
                dataDir,
                bwrap,
                uidBase,
                value,
                readOnlyPaths,
                isolation,
                cgroupName,
                recycleAfter,
                interactiveSlots,
                allowUidIsolation,
                lockRuntimes);
    }

    public SandboxConfig withIsolation(String value) {
        return new SandboxConfig(
                dataDir,
                bwrap,
                uidBase,
                slots,
                readOnlyPaths,
                value,
                cgroupName,
                recycleAfter,
                interactiveSlots,
                allowUidIsolation,
                lockRuntimes);
    }

    public SandboxConfig withReadOnlyPaths(List<String> value) {
        return new SandboxConfig(
                dataDir,
                bwrap,
                uidBase,
                slots,
                value,
                isolation,
                cgroupName,
                recycleAfter,
                interactiveSlots,
                allowUidIsolation,
                lockRuntimes);
    }

    public SandboxConfig withCgroupName(String value) {
        return new SandboxConfig(
                dataDir,
                bwrap,
                uidBase,
                slots,
                readOnlyPaths,
                isolation,
                value,
                recycleAfter,
                interactiveSlots,
                allowUidIsolation,
                lockRuntimes);
    }

    public SandboxConfig withBwrap(Path value) {
        return new SandboxConfig(
                dataDir,
                value,
                uidBase,
                slots,
                readOnlyPaths,
                isolation,
                cgroupName,
                recycleAfter,
                interactiveSlots,
                allowUidIsolation,
                lockRuntimes);
    }

    public SandboxConfig withUidBase(int value) {
        return new SandboxConfig(
                dataDir,
                bwrap,
                value,
                slots,
                readOnlyPaths,
                isolation,
                cgroupName,
                recycleAfter,
                interactiveSlots,
                allowUidIsolation,
                lockRuntimes);
    }

    public SandboxConfig withRecycleAfter(int value) {
        return new SandboxConfig(
                dataDir,
                bwrap,
                uidBase,
                slots,
                readOnlyPaths,
                isolation,
                cgroupName,
                value,
                interactiveSlots,
                allowUidIsolation,
                lockRuntimes);
    }

    /** The last {@code value} of the slots kept for work a person waits for. */
    public SandboxConfig withInteractiveSlots(int value) {
        return new SandboxConfig(
                dataDir,
                bwrap,
                uidBase,
                slots,
                readOnlyPaths,
                isolation,
                cgroupName,
                recycleAfter,
                value,
                allowUidIsolation,
                lockRuntimes);
    }

    /** Whether UID isolation may be used ({@link #allowUidIsolation()}). */
    public SandboxConfig withAllowUidIsolation(boolean value) {
        return new SandboxConfig(
                dataDir,
                bwrap,
                uidBase,
                slots,
                readOnlyPaths,
                isolation,
                cgroupName,
                recycleAfter,
                interactiveSlots,
                value,
                lockRuntimes);
    }
}
