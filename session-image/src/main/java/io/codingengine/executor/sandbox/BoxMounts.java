package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The private file system of a box: a work directory and (for runs in a fresh box) a {@code /tmp},
 * each its own tmpfs with a size and an inode cap, owned by the slot's unprivileged uid. The host
 * writes the submission's files before any untrusted code has run and never reads or follows a
 * path inside afterwards: closing the box detaches both mounts, which frees everything without
 * walking it. Runs in a pre-started box get their {@code /tmp} from the box itself ({@link BoxPool}).
 */
final class BoxMounts implements AutoCloseable {

    private final Path root;
    private final Path work;
    private final Path tmp;
    private final int uid;
    private final long bytes;
    private final int inodes;
    private boolean untrustedCodeRan;

    private BoxMounts(Path root, int uid, long bytes, int inodes) {
        this.root = root;
        this.work = root.resolve("work");
        this.tmp = root.resolve("tmp");
        this.uid = uid;
        this.bytes = bytes;
        this.inodes = inodes;
    }

    /** Mounts a fresh work directory at {@code root}, replacing whatever a crashed run left there. */
    static BoxMounts mount(Path root, int uid, long bytes, int inodes) {
        BoxMounts box = new BoxMounts(root, uid, bytes, inodes);
        try {
            Files.createDirectories(box.work);
            Files.createDirectories(box.tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        box.detach(box.work);
        box.detach(box.tmp);
        box.mountTmpfs(box.work);
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
     * Writes a file of the submission. Only allowed before the first run: afterwards the box
     * holds whatever the untrusted program left there (symlinks, FIFOs) and the host stays out.
     *
     * @param relative a path already checked to stay inside the box
     */
    void writeFile(String relative, byte[] content) {
        if (untrustedCodeRan) {
            throw new IllegalStateException("the box is no longer trusted; files go in before the first run");
        }
        Path target = work.resolve(relative).normalize();
        if (!target.startsWith(work) || target.equals(work)) {
            throw new IllegalArgumentException("path escapes the box: " + relative);
        }
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
            Files.write(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + relative + ": " + e.getMessage(), e);
        }
    }

    /** Called before each run: from now on nothing in the box is trusted. */
    void beforeRun() {
        untrustedCodeRan = true;
    }

    /** An empty /tmp for a run in a fresh box (the previous run's is detached): its host path. */
    Path freshTmp() {
        detach(tmp);
        mountTmpfs(tmp);
        return tmp;
    }

    @Override
    public void close() {
        detach(work);
        detach(tmp);
    }

    private void mountTmpfs(Path target) {
        Libc.mount("ce-box", target.toString(), "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV,
                "size=%d,nr_inodes=%d,mode=0700,uid=%d,gid=%d".formatted(bytes, inodes, uid, uid));
    }

    private void detach(Path target) {
        // Loop: a crash can leave several tmpfs stacked on one directory.
        while (true) {
            try {
                Libc.umount2(target.toString(), Libc.MNT_DETACH);
            } catch (Libc.NativeException e) {
                if (e.errno == Libc.EINVAL || e.errno == Libc.ENOENT) {
                    return;
                }
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "BoxMounts[" + root + ", uid " + uid + "]";
    }
}
