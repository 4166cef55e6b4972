package io.codingengine.executor.compile;

import io.codingengine.executor.language.Catalogue;
import io.codingengine.executor.language.LanguageDefinition;
import io.codingengine.executor.language.LanguageRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Precompiled headers, one per toolchain and option combination the catalogue offers, built ahead
 * of time ({@link BuildPrecompiledHeaders}, at image build or install) or else in the background at
 * start-up, and used transparently: the
 * compile gets {@code -I <dir>} first, where {@code <dir>/bits/stdc++.h.gch} waits, and g++ takes
 * the {@code .gch} for {@code #include <bits/stdc++.h>}. g++ uses a {@code .gch} only when the
 * compile's flags match the ones it was built with and otherwise silently falls back to the
 * header, so the flags come from the catalogue entry that also defines the compile command (a test
 * checks with {@code -Winvalid-pch -H} that the pairing holds). Until a header is built, compiles
 * simply go without it. Each header's directory is named by a hash of the compiler's identity
 * (path, reported version, the real binary's mtime) and the flags, and holds that identity in
 * {@code identity}: start-up reuses a directory whose identity file matches, rebuilds one that
 * does not (or has none), and removes the headers of a compiler that has since been replaced.
 */
public final class PrecompiledHeaders {

    private static final Logger LOG = LoggerFactory.getLogger(PrecompiledHeaders.class);
    private static final String IDENTITY = "identity";

    /** What {@link #prepare} did: headers reused as they were, built, and removed as stale. */
    public record Report(int reused, int built, int removed) {}

    private final Path dir;
    private final boolean enabled;
    private final CompletableFuture<Report> ready = new CompletableFuture<>();

    private PrecompiledHeaders(Path dir, boolean enabled) {
        this.dir = dir;
        this.enabled = enabled;
    }

    /**
     * Checks the headers on a background thread, building the missing and stale ones; returns at
     * once. With prebuilt headers ({@link BuildPrecompiledHeaders}) that only reads the identity files.
     */
    public static PrecompiledHeaders start(CompileSettings settings, Catalogue catalogue) {
        PrecompiledHeaders headers = new PrecompiledHeaders(settings.pchDir(), settings.precompiledHeaders());
        if (headers.enabled) {
            createReadable(settings.pchDir());
            Thread.ofPlatform().daemon().name("pch-build").start(() -> {
                try {
                    Report report = headers.prepare(catalogue);
                    LOG.info(
                            "precompiled headers in {}: {} reused, {} built, {} stale removed",
                            headers.dir,
                            report.reused(),
                            report.built(),
                            report.removed());
                    headers.ready.complete(report);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("precompiled headers: {}", e.toString());
                    headers.ready.completeExceptionally(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    headers.ready.completeExceptionally(e);
                }
            });
        } else {
            headers.ready.complete(new Report(0, 0, 0));
        }
        return headers;
    }

    /** Completes when the start-up check (and any build it needed) has finished. */
    public CompletableFuture<Report> ready() {
        return ready;
    }

    /** The headers in {@code dir}, built only by {@link #build} and {@link #prepare} (install, tests). */
    public static PrecompiledHeaders at(Path dir) {
        createReadable(dir);
        return new PrecompiledHeaders(dir, true);
    }

    /** The directory the box must see read-only, or null when precompiled headers are off. */
    public Path directory() {
        return enabled ? dir : null;
    }

    /** The {@code {pch}} arguments of one compile: {@code -I <dir>} once its header is built, else none. */
    public List<String> arguments(LanguageRuntime runtime, Map<String, String> options) {
        LanguageDefinition.PrecompiledHeader pch = runtime.definition().precompiledHeader();
        if (!enabled || pch == null) {
            return List.of();
        }
        Path include = dir.resolve(id(runtime, pch, options));
        return Files.isRegularFile(include.resolve(pch.header() + ".gch")) ? List.of("-I" + include) : List.of();
    }

    /**
     * Makes every header of the catalogue valid now (blocking): removes the headers of replaced
     * compilers, reuses the ones whose identity matches, builds the rest (the default option
     * values first), one at a time, niced.
     */
    public Report prepare(Catalogue catalogue) throws IOException, InterruptedException {
        int[] counts = new int[3];
        locked(() -> {
            removeLeftovers();
            counts[2] = removeStale(catalogue);
            for (LanguageRuntime runtime : catalogue.runtimes()) {
                LanguageDefinition.PrecompiledHeader pch = runtime.definition().precompiledHeader();
                if (pch != null) {
                    for (Map<String, String> options : combinations(runtime.definition())) {
                        counts[build(runtime, pch, options) ? 1 : 0]++;
                    }
                }
            }
        });
        return new Report(counts[0], counts[1], counts[2]);
    }

    /** Builds one header now (blocking) unless a valid one exists; for tests and benchmarks. */
    public void build(LanguageRuntime runtime, Map<String, String> options) throws IOException, InterruptedException {
        locked(() -> build(runtime, runtime.definition().precompiledHeader(), options));
    }

    private interface Build {
        void run() throws IOException, InterruptedException;
    }

    /**
     * One builder per directory at a time: across engines (a file lock) and within this JVM
     * (a monitor, since a JVM may not hold two locks on one file).
     */
    private void locked(Build build) throws IOException, InterruptedException {
        synchronized (PrecompiledHeaders.class) {
            try (FileChannel lock = FileChannel.open(
                            dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    var held = lock.lock()) {
                build.run();
            }
        }
    }

    /** Temporary directories of a build that an engine's exit cut short (only called under the lock). */
    private void removeLeftovers() throws IOException {
        try (var children = Files.list(dir)) {
            children.filter(p -> p.getFileName().toString().startsWith(".build-"))
                    .forEach(PrecompiledHeaders::deleteTree);
        }
    }

    /**
     * Headers of a compiler of the catalogue that has since been replaced (same path, another
     * version or binary): no engine of this host can use them. Headers of other compilers are
     * left alone (the directory is shared); only called under the lock.
     */
    private int removeStale(Catalogue catalogue) throws IOException {
        Map<String, List<String>> current = new java.util.HashMap<>();
        catalogue.runtimes().forEach(r -> current.put(r.toolchain().toString(), compiler(r)));
        int removed = 0;
        try (var children = Files.list(dir)) {
            for (Path child : children.filter(p -> Files.isRegularFile(p.resolve(IDENTITY)))
                    .toList()) {
                List<String> identity = Files.readAllLines(child.resolve(IDENTITY));
                List<String> now = current.get(identity.getFirst());
                if (now != null
                        && !identity.subList(0, Math.min(now.size(), identity.size()))
                                .equals(now)) {
                    LOG.info(
                            "removing precompiled headers of a replaced compiler: {} {}",
                            child.getFileName(),
                            identity);
                    deleteTree(child);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Builds one header unless a valid one exists (its identity file matches); true when it built. */
    private boolean build(
            LanguageRuntime runtime, LanguageDefinition.PrecompiledHeader pch, Map<String, String> options)
            throws IOException, InterruptedException {
        List<String> identity = identity(runtime, pch, options);
        Path target = dir.resolve(CompileCache.hash(identity).substring(0, 24));
        Path identityFile = target.resolve(IDENTITY);
        if (Files.isRegularFile(identityFile)) {
            if (Files.readAllLines(identityFile).equals(identity)) {
                return false;
            }
        } else if (Files.isRegularFile(target.resolve(pch.header() + ".gch"))) {
            // Built before identity files existed: complete (moved into place whole) and named by
            // the hash of this identity, so it is this compiler's with these flags.
            Files.write(identityFile, identity);
            return false;
        }
        deleteTree(target); // another identity under this name, or damaged: not known to be valid
        Path tmp = Files.createTempDirectory(dir, ".build-");
        try {
            Path wrapper = tmp.resolve("wrapper.h");
            Files.writeString(wrapper, "#include <" + pch.header() + ">\n");
            Path gch = tmp.resolve("out").resolve(pch.header() + ".gch");
            Files.createDirectories(gch.getParent());
            List<String> command = new ArrayList<>(
                    List.of("nice", "-n", "19", runtime.toolchain().toString()));
            command.addAll(flags(pch, options));
            command.addAll(List.of("-x", "c++-header", wrapper.toString(), "-o", gch.toString()));
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("building " + pch.header() + " with " + options + " failed: " + output);
            }
            Files.write(tmp.resolve("out").resolve(IDENTITY), identity);
            try (var files = Files.walk(tmp.resolve("out"))) {
                for (Path f : files.toList()) {
                    Files.setPosixFilePermissions(
                            f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            try {
                Files.move(tmp.resolve("out"), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                return false; // another engine built the same header meanwhile
            }
            LOG.info(
                    "precompiled {} for {} {} {} in {} ms",
                    pch.header(),
                    runtime.definition().language(),
                    runtime.version(),
                    options,
                    (System.nanoTime() - start) / 1_000_000);
            return true;
        } finally {
            deleteTree(tmp);
        }
    }

    /** The header's directory name: a hash of its {@link #identity}. */
    private static String id(
            LanguageRuntime runtime, LanguageDefinition.PrecompiledHeader pch, Map<String, String> options) {
        return CompileCache.hash(identity(runtime, pch, options)).substring(0, 24);
    }

    /** The compiler's identity (path first, then version and the real binary's mtime), then the exact flags. */
    private static List<String> identity(
            LanguageRuntime runtime, LanguageDefinition.PrecompiledHeader pch, Map<String, String> options) {
        List<String> parts = new ArrayList<>(compiler(runtime));
        parts.addAll(flags(pch, options));
        return parts;
    }

    private static List<String> compiler(LanguageRuntime runtime) {
        return List.of(
                runtime.toolchain().toString(),
                runtime.version().toString(),
                Long.toString(CompilerIdentity.modified(runtime.toolchain())));
    }

    private static List<String> flags(LanguageDefinition.PrecompiledHeader pch, Map<String, String> options) {
        return pch.flags().stream()
                .map(f -> {
                    String value = f;
                    for (var option : options.entrySet()) {
                        value = value.replace("{" + option.getKey() + "}", option.getValue());
                    }
                    return value;
                })
                .toList();
    }

    /** Every combination of option values, the one of all defaults first. */
    static List<Map<String, String>> combinations(LanguageDefinition language) {
        List<Map<String, String>> result = new ArrayList<>(List.of(Map.of()));
        for (var option : language.options().entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            List<String> values = new ArrayList<>(option.getValue().allowed());
            values.remove(option.getValue().defaultValue());
            values.addFirst(option.getValue().defaultValue());
            for (Map<String, String> partial : result) {
                for (String value : values) {
                    Map<String, String> m = new java.util.HashMap<>(partial);
                    m.put(option.getKey(), value);
                    next.add(Map.copyOf(m));
                }
            }
            result = next;
        }
        return result;
    }

    private static void createReadable(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Deletes a tree only root can write (walking it by path); see {@link io.codingengine.executor.sandbox.UntrustedTree} for any other. */
    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
