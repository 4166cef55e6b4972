package io.codingengine.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Kattis problem packages for tests, built in memory. */
public final class KattisZip {

    private KattisZip() {}

    /** A zip of these files (path to content). */
    public static byte[] of(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : new TreeMap<>(files).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * "Sum": add two integers. One sample ({@code 1 1}), two secret tests: {@code secret/1}
     * ({@code -1 1}) and {@code secret/2} ({@code 777 0}, the only one with a number above 100,
     * whose input never leaves the server), and a Markdown statement with math and code.
     */
    public static byte[] sum() {
        return of(Map.of(
                "problem.yaml",
                "name: Sum\nlimits:\n  time_limit: 2\n",
                "problem_statement/problem.en.md",
                """
                        Read two integers $a$ and $b$ ($|a|, |b| \\le 10^9$) and print $a + b$.

                        $$\\sum_{i=1}^{2} x_i = a + b$$

                        For example, in Python:

                        ```python
                        print(sum(map(int, input().split())))
                        ```
                        """,
                "data/sample/1.in",
                "1 1\n",
                "data/sample/1.ans",
                "2\n",
                "data/secret/1.in",
                "-1 1\n",
                "data/secret/1.ans",
                "0\n",
                "data/secret/2.in",
                "777 0\n",
                "data/secret/2.ans",
                "777\n"));
    }

    /**
     * "Sum" as a Kattis statement is usually written: in sections ({@code ## Input},
     * {@code ## Output}) and no title of its own, the same tests.
     */
    public static byte[] sumInSections() {
        return of(Map.of(
                "problem.yaml",
                "name: Sum in sections\nlimits:\n  time_limit: 2\n",
                "problem_statement/problem.en.md",
                """
                        Add two integers.

                        ## Input

                        One line with two integers $a$ and $b$ ($|a|, |b| \\le 10^9$).

                        ## Output

                        Their sum.
                        """,
                "data/sample/1.in",
                "1 1\n",
                "data/sample/1.ans",
                "2\n",
                "data/secret/1.in",
                "-1 1\n",
                "data/secret/1.ans",
                "0\n",
                "data/secret/2.in",
                "777 0\n",
                "data/secret/2.ans",
                "777\n"));
    }

    /** A small PNG picture (one green pixel). */
    public static final byte[] PNG = java.util.Base64.getDecoder()
            .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNg+M8AAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

    /** "Tower": a LaTeX statement only, with a picture of the package. */
    public static byte[] latexWithPicture() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, byte[]> files = new TreeMap<>(Map.of(
                "problem.yaml", "name: Tower\n".getBytes(StandardCharsets.UTF_8),
                "problem_statement/problem.en.tex",
                        "\\problemname{Tower}\n\\illustration{.3}{tower.png}{A tower}\nAdd $a$ and $b$.\n"
                                .getBytes(StandardCharsets.UTF_8),
                "problem_statement/tower.png", PNG,
                "data/sample/1.in", "1 1\n".getBytes(StandardCharsets.UTF_8),
                "data/sample/1.ans", "2\n".getBytes(StandardCharsets.UTF_8)));
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
