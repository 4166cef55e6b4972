package io.codingengine.executor.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codingengine.common.execution.StageResult;
import io.codingengine.common.execution.StageStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cache's bookkeeping on a real directory: LRU bound, what is kept, one compile for concurrent callers. */
@Tag("fast")
class CompileCacheTest {

    private static final StageResult OK = new StageResult("", "", "", 0, null, null, null, 5, 5, 0);

    private static CompileCache.Entry entry(int bytes) {
        return new CompileCache.Entry(OK, Map.of("a.out", new byte[bytes]));
    }

    @Test
    void leastRecentlyUsedEntriesGoWhenTheBoundIsPassed() throws Exception {
        Path dir = Files.createTempDirectory("ce-cache-test-");
        // An entry of 1000 bytes in one file takes a block and an inode's worth: room for two.
        CompileCache cache = new CompileCache(dir, 2 * entry(1000).bytes() + 1000);
        AtomicInteger compiles = new AtomicInteger();
        cache.get("k1", () -> {
            compiles.incrementAndGet();
            return entry(1000);
        });
        Thread.sleep(20);
        cache.get("k2", () -> {
            compiles.incrementAndGet();
            return entry(1000);
        });
        Thread.sleep(20);
        cache.get("k1", () -> {
            compiles.incrementAndGet();
            return entry(1000);
        }); // a hit makes k1 recent
        Thread.sleep(20);
        cache.get("k3", () -> {
            compiles.incrementAndGet();
            return entry(1000);
        }); // evicts k2
        assertEquals(3, compiles.get());
        assertEquals(
                List.of("k1", "k3"),
                Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
        assertArrayEquals(
                new byte[1000],
                cache.get("k3", () -> {
                            throw new AssertionError("hit expected");
                        })
                        .files()
                        .get("a.out"));
    }

    @Test
    void anEntryOfManyTinyFilesCountsWhatItTakesOnDisk() {
        // 12,000 one-byte class files are 12 KB of content but 12,000 inodes and blocks.
        Map<String, byte[]> classes = new java.util.HashMap<>();
        for (int i = 0; i < 12_000; i++) {
            classes.put("p/C" + i + ".class", new byte[1]);
        }
        long counted = new CompileCache.Entry(OK, classes).bytes();
        assertTrue(counted >= 12_000 * (CompileCache.BLOCK + CompileCache.FILE_OVERHEAD), Long.toString(counted));
    }

    @Test
    void compileErrorsAreKeptButStagesStoppedByALimitAreNot() throws Exception {
        Path dir = Files.createTempDirectory("ce-cache-test-");
        CompileCache cache = new CompileCache(dir, 1 << 20);
        StageResult error =
                new StageResult("", "x.c:1: error", "x.c:1: error", 1, null, StageStatus.RE, "exit 1", 1, 1, 0);
        StageResult timeout =
                new StageResult("", "", "", null, "SIGKILL", StageStatus.TO, "Time limit exceeded", 1, 1, 0);
        cache.get("error", () -> new CompileCache.Entry(error, Map.of()));
        cache.get("timeout", () -> new CompileCache.Entry(timeout, Map.of()));
        assertEquals(
                error,
                cache.get("error", () -> {
                            throw new AssertionError("hit expected");
                        })
                        .result());
        AtomicInteger again = new AtomicInteger();
        cache.get("timeout", () -> {
            again.incrementAndGet();
            return new CompileCache.Entry(timeout, Map.of());
        });
        assertEquals(1, again.get());
    }

    @Test
    void concurrentCallersOfOneKeyShareOneCompile() throws Exception {
        CompileCache cache = new CompileCache(Files.createTempDirectory("ce-cache-test-"), 1 << 20);
        AtomicInteger compiles = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = Thread.ofVirtual()
                .start(() -> cache.get("k", () -> {
                    compiles.incrementAndGet();
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return entry(10);
                }));
        inside.await();
        Thread second = Thread.ofVirtual()
                .start(() -> cache.get("k", () -> {
                    compiles.incrementAndGet();
                    return entry(10);
                }));
        Thread.sleep(50);
        release.countDown();
        first.join();
        second.join();
        assertEquals(1, compiles.get());
    }
}
