package io.codingengine.executor.compile;

import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import io.codingengine.common.json.Json;
import io.codingengine.executor.sandbox.UntrustedTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled artifacts by content: the key hashes the sources, language, version, compiler identity,
 * the exact compile command and its limits, so the same code judged again (a regrade, a resubmit,
 * tests split over several slots) is not compiled again. Stored root-owned under the data
 * directory (never inside a box), one directory per key, bounded by size with least-recently-used
 * eviction. Compile errors are cached too (the compiler is deterministic for a key), but stages
 * stopped by a limit or the engine are not (they may pass on a quieter machine). Two callers asking
 * for the same key at once share one compile; entries appear by atomic rename, so a crash leaves
 * no half entry.
 */
public final class CompileCache {

    private static final Logger LOG = LoggerFactory.getLogger(CompileCache.class);

    /** A compile's result and the files it produced (relative path to content). */
    public record Entry(StageResult result, Map<String, byte[]> files) {
        public Entry {
            files = Map.copyOf(files);
        }

        boolean cacheable() {
            return result.succeeded() || result.status() == StageStatus.RE;
        }

        /**
         * What the entry takes on disk, not just its content: every file and directory costs at
         * least a block and an inode, so an entry of thousands of tiny class files counts for
         * what it really uses.
         */
        long bytes() {
            long blocks =
                    files.values().stream().mapToLong(b -> roundUp(b.length)).sum();
            long directories = files.keySet().stream()
                    .filter(p -> p.contains("/"))
                    .map(p -> p.substring(0, p.lastIndexOf('/')))
                    .distinct()
                    .count();
            return blocks + roundUp(result.output().length()) + (files.size() + directories + 3) * FILE_OVERHEAD;
        }

        private static long roundUp(long bytes) {
            return (bytes + BLOCK - 1) / BLOCK * BLOCK;
        }
    }

    /** A file system block, what the smallest file takes. */
    static final long BLOCK = 4096;
    /** What an inode and its directory entry take, counted per file on top of its blocks. */
    static final long FILE_OVERHEAD = 1024;

    private final Path dir;
    private final long maxBytes;
    private final ConcurrentHashMap<String, CompletableFuture<Entry>> inFlight = new ConcurrentHashMap<>();

    public CompileCache(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        if (maxBytes > 0) {
            try {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir, e);
            }
        }
    }

    /** SHA-256 over length-prefixed parts (no two part lists share a hash input). */
    public static String hash(List<String> parts) {
        MessageDigest sha = sha256();
        parts.forEach(part -> update(sha, part.getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * The key of one compile. File contents are hashed as bytes, never copied (a custom checker's
     * compile carries every test's data).
     */
    public static String key(
            io.codingengine.executor.language.LanguageRuntime runtime,
            List<String> command,
            String limits,
            Map<String, byte[]> sources) {
        List<String> parts = new ArrayList<>(CompilerIdentity.of(runtime));
        parts.add(String.join("\u0000", command));
        parts.add(limits);
        MessageDigest sha = sha256();
        parts.forEach(part -> update(sha, part.getBytes(StandardCharsets.UTF_8)));
        new java.util.TreeMap<>(sources).forEach((path, content) -> {
            update(sha, path.getBytes(StandardCharsets.UTF_8));
            update(sha, content);
        });
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, byte[] bytes) {
        sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The cached entry of {@code key}, or the result of {@code compile} (stored when cacheable).
     * A caller that finds the same key being compiled waits for that compile.
     */
    public Entry get(String key, Supplier<Entry> compile) {
        if (maxBytes == 0) {
            return compile.get();
        }
        Entry cached = load(key);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running.join();
        }
        try {
            Entry entry = compile.get();
            if (entry.cacheable()) {
                store(key, entry);
            }
            mine.complete(entry);
            return entry;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private Entry load(String key) {
        Path entry = dir.resolve(key);
        if (!Files.isDirectory(entry)) {
            return null;
        }
        try {
            StageResult result =
                    Json.mapper().readValue(entry.resolve("result.json").toFile(), StageResult.class);
            Map<String, byte[]> files = UntrustedTree.read(entry.resolve("files"), Long.MAX_VALUE);
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
            return new Entry(result, files);
        } catch (IOException | RuntimeException e) {
            LOG.warn("compile cache entry {} unreadable, compiling again: {}", key, e.toString());
            return null;
        }
    }

    private void store(String key, Entry entry) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(dir, ".new-");
            Json.mapper().writeValue(tmp.resolve("result.json").toFile(), entry.result());
            Files.writeString(tmp.resolve("bytes"), Long.toString(entry.bytes()));
            for (var file : entry.files().entrySet()) {
                Path target = tmp.resolve("files").resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            Files.createDirectories(tmp.resolve("files"));
            Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            evict();
        } catch (IOException e) {
            // Another engine stored the same key first, or the disk is full: compiling was enough.
            LOG.debug("compile cache: not stored {}: {}", key, e.toString());
        } finally {
            if (tmp != null) {
                PrecompiledHeaders.deleteTree(tmp);
            }
        }
    }

    /** Deletes least-recently-used entries until the cache fits its bound. */
    private synchronized void evict() throws IOException {
        Map<Path, Long> sizes = new LinkedHashMap<>();
        try (var entries = Files.list(dir)) {
            for (Path e : entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                sizes.put(e, size(e));
            }
        }
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        if (total <= maxBytes) {
            return;
        }
        List<Path> oldestFirst = new ArrayList<>(sizes.keySet());
        oldestFirst.sort(Comparator.comparingLong(CompileCache::lastUsed));
        for (Path e : oldestFirst) {
            if (total <= maxBytes) {
                break;
            }
            PrecompiledHeaders.deleteTree(e);
            total -= sizes.get(e);
        }
    }

    private static long size(Path entry) {
        try {
            return Long.parseLong(Files.readString(entry.resolve("bytes")).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static long lastUsed(Path entry) {
        try {
            return Files.getLastModifiedTime(entry).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
