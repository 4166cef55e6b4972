package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
 */
final class BoxMounts implements AutoCloseable {

    private final Path root;
    private final Path work;
    private final Path tmp;
    private final int uid;
    private final long bytes;
    private final int inodes;
    /** The program, in the order written: what every run's work directory starts with. */
    private final Map<String, ProgramFile> program = new LinkedHashMap<>();
    /** A run has used the work directory mounted now. */
    private boolean used;

    private record ProgramFile(byte[] content, boolean executable) {
    }

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
        Tmpfs.detach(box.work);
        Tmpfs.detach(box.tmp);
        Tmpfs.mount(box.work, bytes, inodes, uid);
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
        if (used) {
            Tmpfs.detach(work);
            Tmpfs.mount(work, bytes, inodes, uid);
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

    /** An empty /tmp for a run in a fresh box (the previous run's is detached): its host path. */
    Path freshTmp() {
        Tmpfs.detach(tmp);
        Tmpfs.mount(tmp, bytes, inodes, uid);
        return tmp;
    }

    @Override
    public void close() {
        Tmpfs.detach(work);
        Tmpfs.detach(tmp);
    }

    @Override
    public String toString() {
        return "BoxMounts[" + root + ", uid " + uid + "]";
    }
}
