package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The private file system of a box: a work directory and (for runs in a fresh box) a {@code /tmp},
 * each its own tmpfs with a size and an inode cap, owned by the slot's unprivileged uid. The box
 * remembers its program: the submission's files and what its compile produced. Every run gets a
 * work directory that no earlier run has touched: before a run, a used one is detached and a
 * fresh tmpfs holding just the program takes its place, so nothing one test wrote (or read into a
 * file) is there for the next. The host writes only into a fresh tmpfs, before any process of
 * the uid runs in it, and never follows a path in a used one: detaching frees it without walking
 * it. Runs in a pre-started box get their {@code /tmp} from the box itself ({@link BoxPool}).
 *
 * <p>Detaching a used tmpfs is what costs: the kernel waits for an RCU grace period (0.2–2 ms
 * here, longer the busier the machine), while the mount is some 30 µs. With {@code turns} (runs
 * in mount namespaces, whose box binds only the run's own work directory), two mount points take
 * turns: a run gets a tmpfs mounted just before it at the one not used last, and the used one is
 * detached on another thread while the run goes on; the next run waits for that detach (long
 * over) before it mounts there again. A run's processes have all ended before the next run's
 * directory is mounted, and none of a later run can reach the used one: the box shows a run only
 * its own work directory. Without namespaces (the runs see the host's paths), each run detaches
 * the used one before it starts, as before.
 *
 * <p>Under UID isolation nothing may be mounted ({@link Kind#DIRECTORY}): the work directory and
 * the temporary one are plain directories, {@code 0700} and the uid's, made afresh for every run
 * the same way, and a used one is emptied without following links ({@link UntrustedTree}) and
 * removed. They have no size or inode cap of their own.
 */
final class BoxMounts implements AutoCloseable {

    /** What a box's directories are. */
    enum Kind {
        /** Each its own tmpfs, capped in bytes and inodes. */
        TMPFS,
        /** Plain directories, where the host allows no mount (UID isolation). */
        DIRECTORY
    }

    /** Detaches used work directories off the runs' path (see the class comment). */
    private static final java.util.concurrent.ExecutorService DETACHER =
            java.util.concurrent.Executors.newCachedThreadPool(
                    Thread.ofPlatform().daemon().name("box-detach-", 0).factory());

    private final Kind kind;
    private final Path root;
    /** The work directory the last (or next) run uses. */
    private Path work;
    /** With turns: the other mount point, detached or being detached; else {@code null}. */
    private Path other;
    /** With turns: the detach of {@link #other} going on, or {@code null}. */
    private java.util.concurrent.Future<?> detaching;

    private final Path tmp;
    private final int uid;
    private final long bytes;
    private final int inodes;
    /** The program, in the order written: what every run's work directory starts with. */
    private final Map<String, ProgramFile> program = new LinkedHashMap<>();
    /** A run has used the work directory mounted now. */
    private boolean used;

    private record ProgramFile(byte[] content, boolean executable) {}

    private BoxMounts(Kind kind, Path root, int uid, long bytes, int inodes, boolean turns) {
        this.kind = kind;
        this.root = root;
        this.work = root.resolve("work");
        this.other = turns && kind == Kind.TMPFS ? root.resolve("work-2") : null;
        this.tmp = root.resolve("tmp");
        this.uid = uid;
        this.bytes = bytes;
        this.inodes = inodes;
    }

    /**
     * Mounts a fresh work directory at {@code root}, replacing whatever a crashed run left there.
     * With {@code turns} (tmpfs only, and only where every run is in a mount namespace that shows
     * it no other directory of the box) the used work directory is detached off the runs' path.
     */
    static BoxMounts mount(Kind kind, Path root, int uid, long bytes, int inodes, boolean turns) {
        BoxMounts box = new BoxMounts(kind, root, uid, bytes, inodes, turns);
        if (kind == Kind.TMPFS) {
            try {
                Files.createDirectories(box.work);
                Files.createDirectories(box.tmp);
                if (box.other != null) {
                    Files.createDirectories(box.other);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        box.drop(box.work);
        box.drop(box.tmp);
        if (box.other != null) {
            box.drop(box.other);
        }
        box.fresh(box.work);
        return box;
    }

    /** The host path of the work directory, seen as {@code /box} inside. */
    Path work() {
        return work;
    }

    int uid() {
        return uid;
    }

    /** Size cap of the work directory and of each run's /tmp. */
    long bytes() {
        return bytes;
    }

    /** Inode cap of the work directory and of each run's /tmp. */
    int inodes() {
        return inodes;
    }

    /**
     * Adds a file to the program: written now if no run has used the work directory yet, else
     * into the fresh one the next run gets. Files are root's (the program cannot change them in
     * place), {@code 0755} when executable, else {@code 0644}; directories are the uid's.
     *
     * @param relative a path already checked to stay inside the box
     */
    void writeFile(String relative, byte[] content, boolean executable) {
        Path target = work.resolve(relative).normalize();
        if (!target.startsWith(work) || target.equals(work)) {
            throw new IllegalArgumentException("path escapes the box: " + relative);
        }
        ProgramFile file = new ProgramFile(content, executable);
        program.put(relative, file);
        if (!used) {
            write(relative, file);
        }
    }

    /**
     * Called before each run: a work directory an earlier run used is replaced by a fresh one,
     * and the run's own files (see {@link RunFile}) are written into it after the program's.
     */
    void beforeRun(java.util.List<RunFile> files) {
        if (used && other != null) {
            awaitDetached();
            Path usedOne = work;
            fresh(other);
            work = other;
            other = usedOne;
            program.forEach(this::write);
            // Off the run's path: a run's box binds only its own work directory, so the run
            // starting now cannot reach the used one while it is being detached.
            detaching = DETACHER.submit(() -> drop(usedOne));
        } else if (used) {
            drop(work);
            fresh(work);
            program.forEach(this::write);
        }
        used = true;
        for (RunFile file : files) {
            Path target = work.resolve(file.path()).normalize();
            if (!target.startsWith(work) || target.equals(work)) {
                throw new IllegalArgumentException("path escapes the box: " + file.path());
            }
            if (file.isDirectory()) {
                directories(target);
                continue;
            }
            write(file.path(), new ProgramFile(file.content(), false));
            if (file.writable()) {
                own(target);
            }
        }
    }

    /** Makes {@code dir} and its parents inside the work directory, the run's own. */
    private void directories(Path dir) {
        Path at = work;
        for (Path name : work.relativize(dir)) {
            at = at.resolve(name);
            if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(at);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot make " + work.relativize(at), e);
                }
                own(at);
            }
        }
    }

    private void own(Path path) {
        try {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + work.relativize(path) + " to the run", e);
        }
    }

    /**
     * The regular files in the work directory (relative path to content), at most {@code maxBytes}
     * in all, read without following links. In a plain directory only the uid's own files: another
     * may be a hard link to a host file only root can read.
     */
    Map<String, byte[]> read(long maxBytes) throws IOException {
        if (kind == Kind.TMPFS) {
            return UntrustedTree.read(work, maxBytes);
        }
        UserPrincipal owner =
                work.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(Integer.toString(uid));
        return UntrustedTree.readOwned(work, maxBytes, owner);
    }

    /** A directory no process of the uid has used: a tmpfs, or a plain directory of the uid's, 0700. */
    private void fresh(Path dir) {
        if (kind == Kind.TMPFS) {
            Tmpfs.mount(dir, bytes, inodes, uid);
            return;
        }
        try {
            // Made in a root-owned directory the uid may only pass through, so nothing of its can be there.
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setAttribute(dir, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir, e);
        }
    }

    /** Frees a used directory (or whatever a crashed run left there; nothing is fine) without following its links. */
    private void drop(Path dir) {
        if (kind == Kind.TMPFS) {
            Tmpfs.detach(dir);
            return;
        }
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                UntrustedTree.empty(dir);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /** Writes into a work directory that no process of the uid has used: nothing in it can be a link. */
    private void write(String relative, ProgramFile file) {
        Path target = work.resolve(relative);
        try {
            Path dir = work;
            if (!target.getParent().equals(work)) {
                for (Path name : work.relativize(target.getParent())) {
                    dir = dir.resolve(name);
                    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectory(dir);
                        Files.setAttribute(dir, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                        Files.setAttribute(dir, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + relative + ": " + e.getMessage(), e);
        }
        Libc.writeFile(target.toString(), file.content(), file.executable() ? 0755 : 0644);
    }

    /**
     * An empty /tmp for a run in a fresh box (the previous run's is dropped): its host path. Under
     * UID isolation the run's temporary directory ({@code TMPDIR}), as /tmp is the host's.
     */
    Path freshTmp() {
        drop(tmp);
        fresh(tmp);
        return tmp;
    }

    /**
     * Waits for the used work directory's detach; should it have failed, detaches it here (and
     * throws if that fails too): a mount point is only mounted again once nothing is there.
     */
    private void awaitDetached() {
        if (detaching == null) {
            return;
        }
        try {
            detaching.get();
        } catch (java.util.concurrent.ExecutionException e) {
            drop(other);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while detaching " + other, e);
        } finally {
            detaching = null;
        }
    }

    @Override
    public void close() {
        if (other != null) {
            awaitDetached();
            drop(other);
        }
        drop(work);
        drop(tmp);
    }

    @Override
    public String toString() {
        return "BoxMounts[" + root + ", uid " + uid + "]";
    }
}
