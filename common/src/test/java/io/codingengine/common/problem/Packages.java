package io.codingengine.common.problem;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds Kattis problem packages for tests, as directories and as zip files. */
final class Packages {

    static final String SECRET_INPUT = "SECRET-INPUT-7f3a";
    static final String SECRET_ANSWER = "SECRET-ANSWER-91c2";

    private Packages() {}

    /** A complete package with two samples, two secret tests and a float tolerance. */
    static Map<String, String> hello() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("problem.yaml", """
                source: Coding Engine tests
                name: Hello World
                limits:
                  time_multiplier: 5
                  time_limit: 2.5
                  memory: 512
                validator_flags: float_tolerance 1e-4
                """);
        files.put("problem_statement/problem.en.tex", "\\problemname{Hello}");
        files.put("problem_statement/problem.en.md", "# Hello\n\nPrint the sum.\n");
        files.put("data/sample/1.in", "1 2\n");
        files.put("data/sample/1.ans", "3\n");
        files.put("data/sample/2.in", "2 2\n");
        files.put("data/sample/2.ans", "4\n");
        files.put("data/sample/1.desc", "ignored");
        files.put("data/secret/group1/01.in", SECRET_INPUT + " 1\n");
        files.put("data/secret/group1/01.ans", SECRET_ANSWER + " 1\n");
        files.put("data/secret/02.in", SECRET_INPUT + " 2\n");
        files.put("data/secret/02.ans", SECRET_ANSWER + " 2\n");
        files.put("data/secret/testdata.yaml", "on_reject: continue\n");
        files.put("submissions/accepted/sol.py", "print(sum(map(int, input().split())))\n");
        return files;
    }

    static Map<String, String> with(Map<String, String> files, String path, String content) {
        Map<String, String> copy = new LinkedHashMap<>(files);
        if (content == null) {
            copy.remove(path);
        } else {
            copy.put(path, content);
        }
        return copy;
    }

    /** Writes {@code files} into {@code parent/name} and returns that directory. */
    static Path directory(Path parent, String name, Map<String, String> files) throws IOException {
        Path root = parent.resolve(name);
        for (var file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return root;
    }

    /** Writes {@code files} into a zip, each entry name prefixed with {@code top} (may be empty). */
    static Path zip(Path parent, String fileName, String top, Map<String, String> files) throws IOException {
        Map<String, byte[]> bytes = new TreeMap<>();
        files.forEach((name, content) -> bytes.put(top + name, content.getBytes(StandardCharsets.UTF_8)));
        return rawZip(parent.resolve(fileName), bytes);
    }

    /** Writes exactly these entries (names unchecked: for hostile zips) into {@code zip}. */
    static Path rawZip(Path zip, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip);
                var zipOut = new ZipOutputStream(out)) {
            for (var entry : entries.entrySet()) {
                zipOut.putNextEntry(new ZipEntry(entry.getKey()));
                zipOut.write(entry.getValue());
                zipOut.closeEntry();
            }
        }
        return zip;
    }

    /** The package directory {@code dir} zipped, its files under {@code top}. */
    static Path zipDirectory(Path dir, Path zip, String top) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                entries.put(top + dir.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        }
        return rawZip(zip, entries);
    }
}
