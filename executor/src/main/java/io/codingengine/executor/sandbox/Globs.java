package io.codingengine.executor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Expands a path whose last segment may be a glob ({@code /usr/lib/jvm/*}); sorted, existing only. */
public final class Globs {

    private Globs() {}

    public static List<Path> expand(String pattern) {
        Path path = Path.of(pattern);
        String last = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!last.contains("*") && !last.contains("?") && !last.contains("[")) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        Path parent = path.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(parent, last)) {
            stream.forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(null);
        return found;
    }
}
