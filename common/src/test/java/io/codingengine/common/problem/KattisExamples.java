package io.codingengine.common.problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The example packages of Kattis problemtools ({@code hello}, {@code different}, {@code oddecho},
 * {@code guess}), kept outside the project in {@code ../shared/conformance/kattis-examples}
 * (beside the project root), and zipped as an admin would: with {@code zip -ry}, symbolic links
 * kept as links.
 * <p>
 * That copy lost its links: problemtools stores them in git, and a checkout without symlink
 * support writes each as a small file holding the target's path ({@code oddecho}'s
 * {@code data/secret/subtask2/1.in} holds {@code ../subtask1/1.in}). {@link #copy} makes them
 * links again: a file of one line with no line end that names another file of the example,
 * relative to its own directory, was a link.
 */
public final class KattisExamples {

    private KattisExamples() {}

    /** The examples' directory, or {@code null} when it is not beside the project. */
    public static Path directory() {
        for (Path start = Path.of("").toAbsolutePath(); start != null; start = start.getParent()) {
            Path candidate = start.resolveSibling("shared").resolve("conformance/kattis-examples");
            if (start.getParent() != null && Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The examples' names ({@code different}, {@code guess}, ...), in order. */
    public static List<String> names() {
        try (Stream<Path> list = Files.list(directory())) {
            return list.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies example {@code name} to {@code parent/name}, its links made links again. */
    public static Path copy(String name, Path parent) throws IOException {
        Path source = directory().resolve(name);
        Path copy = parent.resolve(name);
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : walk.sorted().toList()) {
                Path target = copy.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isSymbolicLink(path)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(path));
                } else {
                    String link = flattenedLink(source, path);
                    if (link != null) {
                        Files.createSymbolicLink(target, Path.of(link));
                    } else {
                        Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                        target.toFile().setWritable(true, true);
                    }
                }
            }
        }
        return copy;
    }

    /** The link target a checkout without links wrote as {@code file}'s content, or {@code null}. */
    private static String flattenedLink(Path root, Path file) throws IOException {
        if (Files.size(file) > 255) {
            return null;
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (content.isEmpty() || content.chars().anyMatch(Character::isWhitespace) || content.startsWith("/")) {
            return null;
        }
        Path target = file.getParent().resolve(content).normalize();
        return target.startsWith(root) && !target.equals(file) && Files.exists(target) ? content : null;
    }

    /** True when Info-ZIP's {@code zip} is on the path. */
    public static boolean hasZipTool() {
        try {
            return new ProcessBuilder("zip", "-v")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code dir} zipped into {@code zip} with its top directory and its links kept: by
     * {@code zip -ry} when {@code useZipTool}, else written here the way it writes them.
     */
    public static Path zip(Path dir, Path zip, boolean useZipTool) throws IOException {
        if (!useZipTool) {
            return new UnixZip().tree(dir, dir.getFileName() + "/").write(zip);
        }
        Process zipping = new ProcessBuilder(
                        "zip",
                        "-qry",
                        zip.toAbsolutePath().toString(),
                        dir.getFileName().toString())
                .directory(dir.getParent().toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(zipping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!zipping.waitFor(60, TimeUnit.SECONDS) || zipping.exitValue() != 0) {
                throw new IOException("zip -ry failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return zip;
    }
}
