package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and empties a directory tree that a sandboxed uid can write, as root, without ever
 * following a link that uid could have planted, even while a process of it is still running:
 * every step is relative to an open directory ({@link SecureDirectoryStream}: {@code openat},
 * {@code fstatat} and {@code unlinkat} with {@code O_NOFOLLOW}), one path component at a time,
 * so renaming a directory or swapping one for a symbolic link mid-walk changes nothing outside
 * the tree. Only regular files are read; links, FIFOs and devices are skipped (and deleted).
 */
public final class UntrustedTree {

    private UntrustedTree() {}

    /** Every regular file under {@code root} (relative path to content), at most {@code maxBytes} in all. */
    public static Map<String, byte[]> read(Path root, long maxBytes) throws IOException {
        return read(root, maxBytes, null);
    }

    /**
     * As {@link #read(Path, long)}, but only the files {@code owner} owns. Where the tree shares a
     * file system with the host (UID isolation: a plain directory, not a tmpfs of its own), a file
     * the uid did not write may be a hard link it made to a file only root can read; root must not
     * read that out for it.
     */
    public static Map<String, byte[]> readOwned(Path root, long maxBytes, UserPrincipal owner) throws IOException {
        return read(root, maxBytes, java.util.Objects.requireNonNull(owner, "owner"));
    }

    private static Map<String, byte[]> read(Path root, long maxBytes, UserPrincipal owner) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (SecureDirectoryStream<Path> dir = open(root)) {
            read(dir, "", files, new long[] {maxBytes}, owner);
        }
        return files;
    }

    /** Deletes everything under {@code root}, leaving the directory itself. */
    public static void empty(Path root) throws IOException {
        try (SecureDirectoryStream<Path> dir = open(root)) {
            empty(dir);
        }
    }

    private static SecureDirectoryStream<Path> open(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(root + " is not a directory");
        }
        DirectoryStream<Path> stream = Files.newDirectoryStream(root);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException(
                "this platform has no openat-based directory streams: " + root + " cannot be read safely");
    }

    private static void read(
            SecureDirectoryStream<Path> dir, String prefix, Map<String, byte[]> files, long[] room, UserPrincipal owner)
            throws IOException {
        for (Path name : names(dir)) {
            BasicFileAttributes a = attributes(dir, name);
            if (a == null) {
                continue;
            }
            String relative = prefix + name;
            if (a.isDirectory()) {
                try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    read(sub, relative + "/", files, room, owner);
                }
            } else if (a.isRegularFile() && (owner == null || owner.equals(ownerOf(dir, name)))) {
                try (InputStream in = Channels.newInputStream(
                        dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
                    byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 9L, Math.max(0, room[0])) + 1);
                    room[0] -= content.length;
                    if (room[0] < 0) {
                        throw new IOException("compile outputs exceed the size limit");
                    }
                    files.put(relative, content);
                }
            }
        }
    }

    private static void empty(SecureDirectoryStream<Path> dir) throws IOException {
        for (Path name : names(dir)) {
            BasicFileAttributes a = attributes(dir, name);
            if (a == null) {
                continue;
            }
            if (a.isDirectory()) {
                try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    empty(sub);
                }
                dir.deleteDirectory(name);
            } else {
                dir.deleteFile(name);
            }
        }
    }

    /** The entries' names (relative paths of one component), read before anything changes them. */
    private static List<Path> names(SecureDirectoryStream<Path> dir) {
        return java.util.stream.StreamSupport.stream(dir.spliterator(), false)
                .map(Path::getFileName)
                .toList();
    }

    /** The owner of an entry (a link's own, not its target's). */
    private static UserPrincipal ownerOf(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes()
                .owner();
    }

    /** The entry's own attributes (a link's, not its target's), or null when it is gone. */
    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
