package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every regular file a box can see read-only resident in memory for the life of the process:
 * each is mapped whole ({@code MAP_SHARED}, read-only) and {@code mlock}ed. Locked pages sit on the
 * kernel's unevictable list: no memory cgroup's reclaim (a run filling its own memory limit with page
 * cache), no {@code fadvise}, no other process can push them out, and without swap they never leave.
 * So every read of a runtime file costs the same, and a run's reads leave no trace another run can
 * time (docs/sandbox.md, "The runtimes are resident").
 *
 * <p>One lock per process: an engine's executors, and the many a test JVM starts, share what is
 * already locked (by inode), so a second sandbox locks only files the first did not show. Pages
 * locked by several processes (several workers on one host) are the same page-cache pages, counted
 * once in the host's memory ({@code Mlocked} in /proc/meminfo), not once per process.
 */
public final class RuntimePages {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimePages.class);
    private static final long PAGE = 4096;

    /** What this process has locked (inodes, as {@link BasicFileAttributes#fileKey()}). */
    private static final Set<Object> LOCKED = new HashSet<>();
    /** The paths {@link #lock} has walked: another sandbox of this process showing them walks them no more. */
    private static final Set<Path> WALKED = new HashSet<>();

    private static long bytes;
    private static int files;
    private static long millis;
    /** Why locking stopped (RLIMIT_MEMLOCK without CAP_IPC_LOCK, not enough memory), or null. */
    private static String failure;

    private RuntimePages() {}

    /**
     * What is locked: {@code bytes} (page-rounded) in {@code files} files, in {@code millis} of
     * locking in all; {@code failure} says why some file could not be locked (then the channel is
     * not closed).
     */
    public record Status(long bytes, int files, long millis, String failure) {

        public boolean complete() {
            return failure == null;
        }

        /** For logs and the isolation's detail: "runtimes resident: 1234 MiB in 15402 files". */
        public String describe() {
            String locked = "runtimes resident: " + (bytes >> 20) + " MiB locked in " + files + " files";
            return failure == null ? locked : locked + ", then locking failed: " + failure;
        }
    }

    /** What this process has locked so far. */
    public static synchronized Status status() {
        return new Status(bytes, files, millis, failure);
    }

    /**
     * Locks every regular file under {@code paths} (files, or directories walked without following
     * their links; a path that is a link is locked as what it points to) that this process has not
     * locked yet; a path walked before is not walked again. Never throws for a file it cannot lock:
     * the first failure is kept in {@link Status#failure()} and locking goes on with the next file
     * (a smaller one may still fit).
     */
    public static Status lock(Collection<String> paths) {
        return lock(paths, false);
    }

    /** {@link #lock}, walking {@code dir} again for files made since (precompiled headers, once built). */
    public static Status lockNew(Path dir) {
        return lock(List.of(dir.toString()), true);
    }

    private static synchronized Status lock(Collection<String> paths, boolean again) {
        long start = System.nanoTime();
        long before = bytes;
        int filesBefore = files;
        for (String entry : paths) {
            Path root;
            try {
                root = Path.of(entry).toRealPath();
            } catch (IOException e) {
                continue; // not on this host: a box does not show it either
            }
            if (!WALKED.add(root) && !again) {
                continue;
            }
            for (Path file : regularFiles(root)) {
                lockFile(file);
            }
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        millis += took;
        if (bytes > before || files > filesBefore) {
            LOG.info(
                    "locked {} MiB of runtimes in {} files in {} ms ({} MiB in all)",
                    (bytes - before) >> 20,
                    files - filesBefore,
                    took,
                    bytes >> 20);
        }
        return status();
    }

    private static List<Path> regularFiles(Path root) {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(found::add);
        } catch (IOException | UncheckedIOException e) {
            note(root + ": " + e.getMessage());
        }
        return found;
    }

    private static void lockFile(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = attributes.fileKey() != null ? attributes.fileKey() : file;
            if (!LOCKED.add(key) || attributes.size() == 0) {
                return;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                // Mapped for good (the global arena is never closed): unmapping would unlock.
                MemorySegment pages = channel.map(FileChannel.MapMode.READ_ONLY, 0, attributes.size(), Arena.global());
                Libc.mlock(pages);
            }
            bytes += (attributes.size() + PAGE - 1) / PAGE * PAGE;
            files++;
        } catch (IOException | RuntimeException e) {
            note(file + ": " + e.getMessage());
        }
    }

    private static void note(String why) {
        if (failure == null) {
            failure = why;
            LOG.error(
                    "RUNTIMES NOT RESIDENT: cannot lock {}; runs can evict runtime pages and time another run's "
                            + "reads of them (give the engine CAP_IPC_LOCK or raise RLIMIT_MEMLOCK, and the memory; "
                            + "docs/sandbox.md, \"The runtimes are resident\")",
                    why);
        }
    }
}
