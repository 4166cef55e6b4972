package io.codingengine.executor.compile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the files a compile left in a directory that sandboxed processes wrote: regular files only
 * (symbolic links and special files are skipped, never followed), opened with
 * {@code O_NOFOLLOW}, bounded in total size. Called after the compile's processes are gone.
 */
public final class OutputFiles {

    private OutputFiles() {
    }

    /** Every regular file under {@code root} (relative path to content), at most {@code maxBytes} in all. */
    public static Map<String, byte[]> read(Path root, long maxBytes) throws IOException {
        return read(root, Set.of(), maxBytes);
    }

    /** As {@link #read(Path, long)}, leaving out the paths in {@code except} (the sources). */
    public static Map<String, byte[]> read(Path root, Set<String> except, long maxBytes) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        long total = 0;
        List<Path> paths;
        try (var walk = Files.walk(root)) {
            paths = walk.toList();
        }
        for (Path p : paths) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String relative = root.relativize(p).toString();
            if (!a.isRegularFile() || except.contains(relative)) {
                continue;
            }
            try (InputStream in = Channels.newInputStream(Files.newByteChannel(p, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS))) {
                long room = Math.max(0, maxBytes - total);
                byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 9L, room) + 1);
                total += content.length;
                if (total > maxBytes) {
                    throw new IOException("compile outputs exceed " + maxBytes + " bytes");
                }
                files.put(relative, content);
            }
        }
        return files;
    }
}
